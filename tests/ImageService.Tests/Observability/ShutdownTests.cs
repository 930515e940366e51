using ImageService.Tests.Imports;

namespace ImageService.Tests.Observability;

// What `systemctl stop` does to a node mid-import: SIGTERM, then SIGKILL after the unit's
// TimeoutStopSec. The node must hand the import back to the queue before that.
public sealed class ShutdownTests : IDisposable
{
    private readonly DiskImages _disks = new();
    private readonly string _data = Directory.CreateTempSubdirectory("imageservice-sigterm-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sigterm_MidImport_ExitsWithinTheUnitsStopTimeoutAndHandsTheImportBack()
    {
        var file = _disks.Qcow2WithData("sigterm.qcow2", 8 << 20, seed: 12);
        var bytes = await File.ReadAllBytesAsync(file, Ct);
        await using var storage = await ObjectStorageServer.StartAsync();
        var url = storage.ServeTricklingFirst("/bucket/sigterm.qcow2", bytes, 64 << 10);
        var environment = ImportingService.Environment(_data, storage);
        var key = await ServiceProcess.CreateKeyAsync(environment, "acct-sigterm", Ct);
        string imageId;
        using (var first = await ServiceProcess.StartAsync(environment, Ct))
        using (var client = first.CreateSignedClient(key))
        {
            imageId = (await client.CreateFromAsync(url)).Id;
            await Eventually.Async(async () => (await client.ImportStatusAsync(imageId)).BytesDone > 0 ? "copying" : null,
                TimeSpan.FromSeconds(60), "the import to start copying");

            await first.TerminateAsync(SystemdUnitTests.StopTimeout(), Ct);

            Assert.True(first.HasExited);
            Assert.Equal(0, first.ExitCode);
        }

        // An API-only node reads the queue as the stopped node left it.
        var apiOnly = new Dictionary<string, string>(environment) { ["Import__RunWorker"] = "false" };
        using var reader = await ServiceProcess.StartAsync(apiOnly, Ct);
        using var look = reader.CreateSignedClient(key);
        var status = await look.ImportStatusAsync(imageId);

        Assert.Equal("queued", status.State);
        Assert.Empty(Directory.GetFiles(Path.Combine(_data, "staging")));
    }

    public void Dispose()
    {
        _disks.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
