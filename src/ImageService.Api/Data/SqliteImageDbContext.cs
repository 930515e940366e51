using Microsoft.EntityFrameworkCore;

namespace ImageService.Api.Data;

internal sealed class SqliteImageDbContext : ImageDbContext
{
    // Contexts are pooled, so each keeps one SQLite connection open for its whole life. EF Core
    // opens and closes the connection around every query otherwise, and registers its SQL functions
    // on the connection at each open: on a signed read of one image that cost more than the query.
    // EF Core leaves a connection it did not open itself open, and disposes it with the context.
    public SqliteImageDbContext(DbContextOptions<SqliteImageDbContext> options)
        : base(options) => Database.OpenConnection();
}
