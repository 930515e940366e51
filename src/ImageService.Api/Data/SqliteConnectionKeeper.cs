using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ImageService.Api.Data;

// Keeps a SQLite context's connection open between its queries. The constructor opens it
// (SqliteImageDbContext), but when a pooled context goes back to the pool EF Core resets the
// connection by closing it, and from then on EF Core opened and closed it around every query,
// registering its SQL functions at each open. With the close after a query suppressed, a lease
// opens the connection once, at its first query, and EF Core treats it as opened by the application
// from then on; the reset at the end of the lease still closes it (EF Core closes it there directly,
// not through interceptors), and disposing the context still releases it (docs/benchmarks.md,
// "Hot paths").
internal sealed class SqliteConnectionKeeper : DbConnectionInterceptor
{
    public static readonly SqliteConnectionKeeper Instance = new();

    public override InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        ValueTask.FromResult(InterceptionResult.Suppress());
}
