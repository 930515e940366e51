using Microsoft.EntityFrameworkCore;

namespace ImageService.Api.Data;

// The model on PostgreSQL, shared by several nodes. Only what differs from SQLite lives here.
internal sealed class PostgresImageDbContext(DbContextOptions<PostgresImageDbContext> options) : ImageDbContext(options)
{
    // SQLite compares text byte by byte (BINARY). PostgreSQL's default collation is linguistic, so
    // "B" < "a" on one and not the other, and a keyset page boundary computed in one order and
    // scanned in the other skips or repeats rows. "C" is PostgreSQL's byte order: every string
    // column uses it, so sorting, paging and equality mean the same on both providers.
    public const string OrdinalCollation = "C";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()))
        {
            if (property.ClrType == typeof(string))
            {
                property.SetCollation(OrdinalCollation);
            }
        }
    }
}
