using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Api.Sharing;
using ImageService.Protocol;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Images;

// One account with 2,500 images of its own and 60 accepted shares from another account, written
// straight to the database with names, statuses, sizes and timestamps chosen to collide, so every
// sort order has ties for the id tie-breaker to settle. A third account's images must never show.
public sealed class PagedAccount : IAsyncLifetime, IDisposable
{
    public const int OwnedCount = 2500;
    public const int SharedCount = 60;
    public const string AccountId = "paging-account";
    public const string SharerId = "paging-sharer";
    public const string StrangerId = "paging-stranger";

    public static readonly string[] Statuses = [ImageStatus.Queued, ImageStatus.Importing, ImageStatus.Active, ImageStatus.Killed];
    public static readonly string[] Distros = ["alma", "centos", "rhel", "rocky", "ubuntu", "windows", "oracle"];

    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public SqlRecorder Recorder { get; } = new();

    public ImageServiceApp App { get; private set; } = null!;

    public ScpCredentials Credentials { get; private set; } = null!;

    // Every image the account's list holds, as stored.
    internal IReadOnlyDictionary<string, Image> Listed { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        App = ImageServiceApp.Create(services: s => s.ConfigureDbContext<SqliteImageDbContext>(o => o.AddInterceptors(Recorder)));
        Credentials = await App.CreateAccountAsync(AccountId);
        var random = new Random(20261124);
        var owned = Enumerable.Range(0, OwnedCount).Select(i => NewImage(random, AccountId, i)).ToList();
        var shared = Enumerable.Range(0, SharedCount).Select(i => NewImage(random, SharerId, i, ImageVisibility.Shared)).ToList();
        var strangers = Enumerable.Range(0, 200).Select(i => NewImage(random, StrangerId, i)).ToList();

        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        db.Images.AddRange(owned.Concat(shared).Concat(strangers));
        db.ImageMembers.AddRange(shared.Select(i => new ImageMember
        {
            ImageId = i.Id,
            MemberId = AccountId,
            Status = MemberStatus.Accepted,
            CreatedAt = Start,
            UpdatedAt = Start,
        }));
        await db.SaveChangesAsync();
        Listed = owned.Concat(shared).ToDictionary(i => i.Id);
    }

    public HttpClient CreateClient() => App.CreateSignedClient(Credentials);

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public void Dispose() => App?.Dispose();

    private static Image NewImage(Random random, string owner, int index, string? visibility = null)
    {
        // Timestamps collide often, and some carry fractions of a second: SQLite compares the text
        // EF Core stores ("2026-01-01 00:00:07" < "2026-01-01 00:00:07.5"), which must agree with time order.
        var created = Start.AddSeconds(random.Next(0, 900)).AddMilliseconds(random.Next(0, 4) * 250);
        var size = random.Next(0, 3) == 0 ? 0 : random.Next(1, 40) * 1_048_576L;
        return new Image
        {
            Id = Guid.NewGuid().ToString(),
            OwnerId = owner,
            Name = Names[random.Next(Names.Length)],
            Status = Statuses[random.Next(Statuses.Length)],
            Visibility = visibility ?? (random.Next(0, 4) == 0 ? ImageVisibility.Shared : ImageVisibility.Private),
            OsDistro = Distros[random.Next(Distros.Length)],
            ContainerFormat = "bare",
            DiskFormat = "qcow2",
            Url = $"https://object-store.example.com/bucket/{owner}-{index}.qcow2",
            Checksum = size == 0 ? null : "0123456789abcdef0123456789abcdef",
            Size = size,
            ScpImageType = random.Next(0, 5) == 0 ? "standard" : "custom",
            ScpOriginalImageType = (random.Next(0, 3)) switch { 0 => null, 1 => "standard", _ => "custom" },
            CreatedAt = created,
            UpdatedAt = created.AddSeconds(random.Next(0, 3) == 0 ? 0 : random.Next(1, 600)),
        };
    }

    // Few enough names that most repeat; case and spaces test that the order is ordinal (SQLite BINARY).
    private static readonly string[] Names =
    [
        .. Enumerable.Range(0, 150).Select(i => $"image-{i:D3}"),
        "Image-A", "image-a", "image a", "IMAGE", "image", "image-", "image_", "image 000", "Zeta", "alpha", "-lead", "_under", " space",
    ];
}
