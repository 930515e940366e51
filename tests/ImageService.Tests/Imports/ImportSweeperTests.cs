using ImageService.Api.Imports;
using ImageService.Api.Storage;
using ImageService.Tests.Images;
using ImageService.Tests.Sharing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ImageService.Tests.Imports;

// What a node that died leaves in the store (a partial upload, or stored data never recorded as an
// image's) is removed by the sweeper once the grace period has passed, and not before; the data of
// an active image is never touched. Runs against whichever store the run uses.
public sealed class ImportSweeperTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ImageServiceApp _app;

    public ImportSweeperTests() => _app = ImageServiceApp.Create(_time);

    [Fact]
    public async Task Sweep_OrphanedUploadsAndObjects_RemovedOnlyAfterTheGracePeriodAndNeverAnActiveImagesData()
    {
        var ct = TestContext.Current.CancellationToken;
        var store = _app.Services.GetRequiredService<IImageFileStore>();
        var sweeper = _app.Services.GetRequiredService<ImportSweeper>();
        using var client = await _app.CreateAccountClientAsync();
        var active = (await client.CreateFromAsync(ImageRequests.Url, "kept")).Id;
        await StoreAsync(store, active, commit: true);
        await _app.MarkActiveAsync(active);
        var neverRecorded = Guid.NewGuid().ToString();
        await StoreAsync(store, neverRecorded, commit: true);
        var abandoned = Guid.NewGuid().ToString();
        await using var partial = await StoreAsync(store, abandoned, commit: false);

        var young = await sweeper.SweepAsync(ct);
        var youngLeft = await LeftAsync(active, neverRecorded, abandoned);
        _time.Advance(TimeSpan.FromHours(1));
        var old = await sweeper.SweepAsync(ct);
        var oldLeft = await LeftAsync(active, neverRecorded, abandoned);

        Assert.Equal(0, young);
        Assert.Equal([$"images/{active}", $"images/{neverRecorded}", $"staging/{partial.StagingKey}"], youngLeft);
        Assert.Equal(2, old);
        Assert.Equal([$"images/{active}"], oldLeft);
    }

    public void Dispose() => _app.Dispose();

    private static async Task<IImageUpload> StoreAsync(IImageFileStore store, string imageId, bool commit)
    {
        var upload = await store.BeginUploadAsync(imageId, null, TestContext.Current.CancellationToken);
        await upload.WriteAsync(new byte[4096], TestContext.Current.CancellationToken);
        if (commit)
        {
            await upload.CommitAsync(TestContext.Current.CancellationToken);
        }

        return upload;
    }

    private async Task<string[]> LeftAsync(params string[] imageIds)
    {
        var left = new List<string>();
        foreach (var id in imageIds)
        {
            left.AddRange(await _app.StoredDataOfAsync(id));
        }

        return [.. left];
    }
}
