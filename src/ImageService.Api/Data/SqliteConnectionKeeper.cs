using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ImageService.Api.Data;

// Keeps a pooled SQLite context's connection open from the context's creation to its disposal.
// Opening it in the constructor (SqliteImageDbContext) is not enough: when a pooled context goes
// back to the pool, EF Core resets its connection by closing it, so every later lease opened and
// closed the connection around each query again, registering EF Core's SQL functions at each open
// and losing SQLite's statement and page caches; a profile of show-image put that at about a tenth
// of the request (docs/benchmarks.md, "Hot paths"). Suppressing the close leaves the connection open
// and EF Core treats it as opened by the application; disposing the context still closes it.
internal sealed class SqliteConnectionKeeper : DbConnectionInterceptor
{
    public static readonly SqliteConnectionKeeper Instance = new();

    public override InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        InterceptionResult.Suppress();

    public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        ValueTask.FromResult(InterceptionResult.Suppress());
}
