extern alias ImageServiceApi;

using System.Diagnostics;
using ImageServiceApi::ImageService.Api.Data;
using ImageServiceApi::ImageService.Api.Images;
using ImageServiceApi::ImageService.Api.Sharing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Bench;

// Writes a layout's images and memberships straight into the service's database, through its own
// model and DbContext (the same configuration keys: Data__Provider, Data__Directory,
// ConnectionStrings__Images), in large batches: a million rows in minutes where a million signed
// POSTs would take hours. What was there before is removed first.
internal static class DirectSeed
{
    private const int BatchSize = 5000;
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Distros = ["alma", "centos", "rhel", "rocky", "ubuntu", "windows", "oracle"];

    public static ServiceProvider Services()
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddImageDatabase(configuration)
            .BuildServiceProvider();
    }

    public static async Task SeedAsync(ScaleLayout layout)
    {
        await using var services = Services();
        await services.MigrateImageDatabaseAsync();
        var clock = Stopwatch.StartNew();
        await ClearAsync(services);

        var sharedWithNext = layout.Name == "spread" ? layout.Accounts : 0;
        var total = layout.Images + (layout.Name == "spread" ? 0 : layout.Pending);
        for (var first = 0; first < total; first += BatchSize)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await FastWritesAsync(db);
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = first; i < Math.Min(total, first + BatchSize); i++)
            {
                var pending = layout.Name == "spread" ? i >= sharedWithNext && i < sharedWithNext + layout.Pending : i >= layout.Images;
                var owner = i >= layout.Images ? ScaleLayout.SharerAccount : layout.Account(i % layout.Accounts);
                var image = NewImage(i, owner, shared: pending || i < sharedWithNext);
                db.Images.Add(image);
                if (pending)
                {
                    db.ImageMembers.Add(Member(image, ScaleLayout.PendingAccount, MemberStatus.Pending));
                }
                else if (i < sharedWithNext)
                {
                    // Image i is the first image of account i; the account before it accepts it.
                    db.ImageMembers.Add(Member(image, layout.Account((i + layout.Accounts - 1) % layout.Accounts), MemberStatus.Accepted));
                }
            }

            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        await AnalyzeAsync(services);
        await Console.Error.WriteLineAsync($"seeded {total} images ({layout.Name}, {layout.Accounts} accounts) in {clock.Elapsed.TotalSeconds:F0} s");
    }

    private static async Task ClearAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        if (db is PostgresImageDbContext)
        {
            await db.Database.ExecuteSqlRawAsync("TRUNCATE image_members, import_jobs, images");
            return;
        }

        await db.ImageMembers.ExecuteDeleteAsync();
        await db.ImportJobs.ExecuteDeleteAsync();
        await db.Images.ExecuteDeleteAsync();
    }

    // A benchmark database is thrown away after the run: SQLite need not wait for the disk after
    // each batch, and may keep its index pages in memory while it writes them.
    private static async Task FastWritesAsync(ImageDbContext db)
    {
        if (db is SqliteImageDbContext)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=OFF; PRAGMA cache_size=-1048576;");
        }
    }

    // PostgreSQL plans by statistics, which autovacuum would gather some time after a bulk load;
    // the run starts with them. SQLite is left as the service leaves it: nothing runs ANALYZE there.
    private static async Task AnalyzeAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        if (db is PostgresImageDbContext)
        {
            // One statement per command: VACUUM may not run inside a batch.
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE images");
            await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE image_members");
        }
    }

    // Values chosen so that each list filter matches a known share of the images: name 1 in 250,
    // status=importing 1 in 20, visibility=shared 1 in 5, os_distro 1 in 7, scp_image_type=standard
    // 1 in 10, scp_original_image_type=custom 1 in 3. Two images share each creation second, so
    // the id tie-breaker matters.
    private static Image NewImage(int i, string owner, bool shared)
    {
        var created = Start.AddSeconds(i / 2);
        var status = (i % 20, i % 50) switch
        {
            (0, _) => ImageStatus.Importing,
            (_, 1) => ImageStatus.Killed,
            (_, 3) => ImageStatus.Queued,
            _ => ImageStatus.Active,
        };
        var size = status == ImageStatus.Active ? (1 + (i * 7919L % 4096)) * 1_048_576 : 0;
        return new Image
        {
            Id = Guid.CreateVersion7(new DateTimeOffset(created)).ToString(),
            OwnerId = owner,
            OwnerAccountName = "Bench",
            OwnerUserName = "bench@example.com",
            Name = $"bench-image-{i % 250:D3}",
            Status = status,
            Visibility = shared || i % 5 == 0 ? ImageVisibility.Shared : ImageVisibility.Private,
            MinDisk = i % 100,
            OsDistro = Distros[i % Distros.Length],
            ContainerFormat = "bare",
            DiskFormat = "qcow2",
            Url = $"https://object-store.example.com/bench/image-{i}.qcow2",
            Checksum = size == 0 ? null : "0123456789abcdef0123456789abcdef",
            OsHashAlgo = size == 0 ? null : "sha512",
            OsHashValue = size == 0 ? null : new string('a', 128),
            Size = size,
            VirtualSize = size == 0 ? null : size * 4,
            ScpImageType = i % 10 == 0 ? "standard" : "custom",
            ScpOriginalImageType = (i % 3) switch { 0 => null, 1 => "standard", _ => "custom" },
            CreatedAt = created,
            UpdatedAt = created.AddSeconds(i * 31 % 86_400),
        };
    }

    private static ImageMember Member(Image image, string memberId, string status) => new()
    {
        ImageId = image.Id,
        MemberId = memberId,
        Status = status,
        CreatedAt = image.CreatedAt,
        UpdatedAt = image.CreatedAt,
    };
}
