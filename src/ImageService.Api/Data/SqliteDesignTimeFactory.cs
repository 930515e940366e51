using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ImageService.Api.Data;

// Lets `dotnet ef` build the context without starting the web host.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteImageDbContext>
{
    public SqliteImageDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteImageDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
