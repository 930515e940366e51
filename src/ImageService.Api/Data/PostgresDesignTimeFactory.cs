using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ImageService.Api.Data;

// Lets `dotnet ef` build the PostgreSQL context without a server: adding migrations and checking
// for pending model changes never connect.
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresImageDbContext>
{
    public PostgresImageDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresImageDbContext>().UseNpgsql("Host=localhost;Database=design_time").Options);
}
