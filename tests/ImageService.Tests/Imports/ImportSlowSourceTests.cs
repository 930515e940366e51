namespace ImageService.Tests.Imports;

// A source that answers and then trickles never trips the idle timeout; the minimum rate and the
// overall deadline end it instead, with its own code, and nothing of it is kept.
public sealed class ImportSlowSourceTests : IAsyncLifetime
{
    private readonly DiskImages _disks = new();
    private ObjectStorageServer _storage = null!;

    public async ValueTask InitializeAsync() => _storage = await ObjectStorageServer.StartAsync();

    [Theory]
    // 5 KiB/s against a minimum of 64 KiB/s over one-second windows.
    [InlineData(512, "65536", "00:00:01", "1.00:00:00", "MinSourceBytesPerSecond")]
    // A steady 40 KiB/s with no minimum, against a two-second deadline for a 1 MiB image.
    [InlineData(4096, "0", "00:01:00", "00:00:02", "MaxImportDuration")]
    public async Task CreateImage_SourceTooSlowToBeUseful_EndsKilledAsSourceTooSlow(
        int chunk, string minRate, string window, string deadline, string namedSetting)
    {
        var settings = ImportFixture.Settings(_storage);
        settings["Import:MinSourceBytesPerSecond"] = minRate;
        settings["Import:SourceRateWindow"] = window;
        settings["Import:MaxImportDuration"] = deadline;
        using var app = ImageServiceApp.Create(settings: settings);
        var (url, aborted) = await TrickleAsync($"/bucket/trickle-{chunk}.qcow2", chunk);
        using var client = await app.CreateAccountClientAsync();

        var image = await client.WaitForImportAsync((await client.CreateFromAsync(url)).Id);
        var status = await client.ImportStatusAsync(image.Id);

        Assert.Equal("killed", image.Status);
        Assert.Equal("source_too_slow", status.Error?.Code);
        Assert.Contains(namedSetting, status.Error?.Detail, StringComparison.Ordinal);
        Assert.Empty(await app.StoredDataOfAsync(image.Id));
        await aborted.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
    }

    // A valid qcow2 that arrives one chunk every 100 ms after a fast first 64 KiB: well inside the
    // idle timeout, and far too slow to finish (a 1 MiB image at 5 or 40 KiB/s). The task completes
    // when the service hangs up on it.
    private async Task<(string Url, Task Aborted)> TrickleAsync(string path, int chunk)
    {
        var bytes = await File.ReadAllBytesAsync(_disks.Qcow2WithData(Path.GetFileName(path), 1 << 20, seed: 31), TestContext.Current.CancellationToken);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var url = _storage.Serve(path, async context =>
        {
            context.Response.ContentLength = bytes.Length;
            try
            {
                await context.Response.Body.WriteAsync(bytes.AsMemory(0, 65536), context.RequestAborted);
                for (var offset = 65536; offset < bytes.Length; offset += chunk)
                {
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await Task.Delay(100, context.RequestAborted);
                    await context.Response.Body.WriteAsync(bytes.AsMemory(offset, Math.Min(chunk, bytes.Length - offset)), context.RequestAborted);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                aborted.TrySetResult();
                throw;
            }
        });
        return (url, aborted.Task);
    }

    public async ValueTask DisposeAsync()
    {
        await _storage.DisposeAsync();
        _disks.Dispose();
    }
}
