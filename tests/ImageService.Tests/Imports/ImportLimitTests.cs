using System.Net.Http.Json;
using ImageService.Protocol;
using ImageService.Protocol.Imports;

namespace ImageService.Tests.Imports;

public sealed class ImportLimitTests : IAsyncLifetime
{
    private readonly DiskImages _disks = new();
    private ObjectStorageServer _storage = null!;

    public async ValueTask InitializeAsync() => _storage = await ObjectStorageServer.StartAsync();

    [Fact]
    public async Task CreateImage_LargerThanMaxImageBytes_EndsKilledWithoutStoringIt()
    {
        var settings = ImportFixture.Settings(_storage, maxImageBytes: 1 << 20);
        using var app = ImageServiceApp.Create(settings: settings);
        var bytes = await File.ReadAllBytesAsync(_disks.Qcow2WithData("big.qcow2", 2 << 20, seed: 21), TestContext.Current.CancellationToken);
        var announced = _storage.Serve("/bucket/announced.qcow2", context =>
        {
            context.Response.ContentLength = bytes.Length;
            return context.Response.Body.WriteAsync(bytes).AsTask();
        });
        var unannounced = _storage.Serve("/bucket/chunked.qcow2", async context =>
        {
            // No Content-Length: the cap must stop the stream itself.
            for (var offset = 0; offset < bytes.Length; offset += 64 << 10)
            {
                await context.Response.Body.WriteAsync(bytes.AsMemory(offset, 64 << 10), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        });
        using var client = await app.CreateAccountClientAsync();

        var first = await client.WaitForImportAsync((await client.CreateFromAsync(announced)).Id);
        var second = await client.WaitForImportAsync((await client.CreateFromAsync(unannounced)).Id);
        var firstStatus = await client.ImportStatusAsync(first.Id);
        var secondStatus = await client.ImportStatusAsync(second.Id);

        Assert.Equal("killed", first.Status);
        Assert.Contains(firstStatus.Error?.Code, TooLargeCodes);
        Assert.Equal("killed", second.Status);
        Assert.Contains(secondStatus.Error?.Code, TooLargeCodes);
        Assert.True(secondStatus.BytesDone <= (1 << 20) + (1 << 20), $"read {secondStatus.BytesDone} bytes past a 1 MiB cap");
        Assert.Empty(await app.StoredDataOfAsync(first.Id));
        Assert.Empty(await app.StoredDataOfAsync(second.Id));
    }

    [Fact]
    public async Task CreateImage_AccountAtItsImportLimit_NextImportWaitsItsTurnWhileOtherAccountsRun()
    {
        var settings = ImportFixture.Settings(_storage);
        settings["Import:MaxConcurrentImportsPerAccount"] = "1";
        settings["Import:MaxConcurrentImports"] = "2";
        using var app = ImageServiceApp.Create(settings: settings);
        var bytes = await File.ReadAllBytesAsync(_disks.Qcow2WithData("gated.qcow2", 1 << 20, seed: 22), TestContext.Current.CancellationToken);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gated = ServeHeld("/bucket/gated.qcow2", bytes, release.Task);
        using var busy = await app.CreateAccountClientAsync();
        using var other = await app.CreateAccountClientAsync();

        var running = await busy.CreateFromAsync(gated, "first");
        await WaitForStateAsync(busy, running.Id, "running");
        var waiting = await busy.CreateFromAsync(gated, "second");
        var elsewhere = await other.CreateFromAsync(gated, "other");
        await WaitForStateAsync(other, elsewhere.Id, "running");
        var waitingWhileBusy = await busy.ImportStatusAsync(waiting.Id);
        release.SetResult();
        var firstDone = await busy.WaitForImportAsync(running.Id);
        var secondDone = await busy.WaitForImportAsync(waiting.Id);

        Assert.Equal("queued", waitingWhileBusy.State);
        Assert.Equal("active", firstDone.Status);
        Assert.Equal("active", secondDone.Status);
        Assert.Equal("active", (await other.WaitForImportAsync(elsewhere.Id)).Status);
    }

    [Fact]
    public async Task CreateImage_OneAccountsImportsWouldFillTheNode_AnotherAccountStillGetsASlot()
    {
        var settings = ImportFixture.Settings(_storage);
        settings["Import:MaxConcurrentImports"] = "2";
        settings["Import:MinSourceBytesPerSecond"] = "0";
        using var app = ImageServiceApp.Create(settings: settings);
        var bytes = await File.ReadAllBytesAsync(_disks.Qcow2WithData("share.qcow2", 1 << 20, seed: 23), TestContext.Current.CancellationToken);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Keeps the connection and never finishes until the test lets go: the kind of source that
        // would hold both of the node's slots for one account.
        var stalled = ServeHeld("/bucket/stalled.qcow2", bytes, release.Task);
        var quick = _storage.ServeFile("/bucket/quick.qcow2", _disks.Qcow2WithData("quick.qcow2", 64 << 10, seed: 24));
        using var hog = await app.CreateAccountClientAsync();
        using var other = await app.CreateAccountClientAsync();

        var first = await hog.CreateFromAsync(stalled, "first");
        var second = await hog.CreateFromAsync(stalled, "second");
        await WaitForStateAsync(hog, first.Id, "running");
        var elsewhere = await other.WaitForImportAsync((await other.CreateFromAsync(quick, "other")).Id);
        var secondWhileStalled = await hog.ImportStatusAsync(second.Id);
        release.SetResult();

        Assert.Equal("active", elsewhere.Status);
        Assert.Equal("queued", secondWhileStalled.State);
        Assert.Equal("active", (await hog.WaitForImportAsync(first.Id)).Status);
        Assert.Equal("active", (await hog.WaitForImportAsync(second.Id)).Status);
    }

    private static readonly string[] TooLargeCodes = ["source_too_large"];

    // Sends the header and the first 64 KiB, then holds the rest until the test lets go.
    private string ServeHeld(string path, byte[] bytes, Task release) => _storage.Serve(path, async context =>
    {
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes.AsMemory(0, 65536), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        await release.WaitAsync(context.RequestAborted);
        await context.Response.Body.WriteAsync(bytes.AsMemory(65536), context.RequestAborted);
    });

    private static async Task WaitForStateAsync(HttpClient client, string imageId, string state)
    {
        for (var i = 0; i < 200; i++)
        {
            var status = await client.GetFromJsonAsync<ImportStatusResponse>($"/v1/images/{imageId}/import", ScpJson.Options);
            if (status!.State == state)
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"The import of {imageId} never reached {state}.");
    }

    public async ValueTask DisposeAsync()
    {
        await _storage.DisposeAsync();
        _disks.Dispose();
    }
}
