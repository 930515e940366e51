using ImageService.Api.Imports;
using ImageService.Tests.Providers;
using Microsoft.EntityFrameworkCore;

namespace ImageService.Tests.Imports;

// Several nodes on one database and one store: an import runs on one of them, that node dies with
// SIGKILL in the middle of the copy, and the other node takes the job over once the lease runs out
// and finishes it, leaving nothing behind. In the default run the two nodes share one SQLite file
// and one data folder; in the PostgreSQL + S3 run (.ci/run) they share a database and a bucket,
// and the test fails, never skips, when those servers cannot be reached.
public sealed class ImportTakeoverTests : IDisposable
{
    private const int ImageBytes = 16 << 20;
    private readonly DiskImages _disks = new();
    private readonly string _data = Directory.CreateTempSubdirectory("imageservice-nodes-").FullName;
    private readonly TestBackend _backend;

    public ImportTakeoverTests() => _backend = TestBackend.Create(_data);

    [Fact]
    public async Task ImportWorker_NodeKilledMidImport_OtherNodeFinishesTheJobWithNothingOrphaned()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = _disks.Qcow2WithData("takeover.qcow2", ImageBytes, seed: 12);
        var bytes = await File.ReadAllBytesAsync(file, ct);
        await using var source = await ObjectStorageServer.StartAsync();

        // The first download trickles (about 2.5 MiB/s), so that the kill lands in the middle of it,
        // after at least one 5 MiB part has reached the store.
        var url = source.ServeTricklingFirst("/bucket/takeover.qcow2", bytes, 256 << 10);
        var environment = _backend.Environment();
        environment["Import__AllowedSources__0"] = source.BaseUri.ToString();
        environment["Import__LeaseDuration"] = "00:00:02";
        environment["Import__PollInterval"] = "00:00:00.250";
        environment["Storage__S3__PartSizeBytes"] = (5 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Logging__LogLevel__Default"] = "Warning";
        var key = await ServiceProcess.CreateKeyAsync(environment, "acct-nodes", ct);
        var (nodeA, nodeB) = await StartTwoNodesAsync(environment, ct);
        using var a = nodeA;
        using var b = nodeB;
        using var clientA = nodeA.CreateSignedClient(key);
        using var clientB = nodeB.CreateSignedClient(key);

        var imageId = (await clientA.CreateFromAsync(url)).Id;
        var holder = await RunningJobPastAsync(imageId, 6 << 20, ct);
        var (dead, survivor) = holder.LeaseOwner!.Contains($"-{nodeA.ProcessId}-", StringComparison.Ordinal)
            ? (nodeA, clientB)
            : (nodeB, clientA);
        dead.Kill();
        var image = await survivor.WaitForImportAsync(imageId, seconds: 60);
        var status = await survivor.ImportStatusAsync(imageId);
        await using var db = _backend.CreateDbContext();
        var jobs = await db.ImportJobs.AsNoTracking().Where(j => j.ImageId == imageId).ToListAsync(ct);
        var running = await db.ImportJobs.CountAsync(j => j.State == ImportState.Running, ct);

        Assert.True(image.Status == "active", $"The image is {image.Status}: {status.Error?.Code} {status.Error?.Detail}");
        Assert.Equal(DiskImages.HashWith("md5sum", file), image.Checksum);
        Assert.Equal(DiskImages.HashWith("sha512sum", file), image.OsHashValue);
        Assert.Equal(bytes.Length, image.Size);
        Assert.Equal("succeeded", status.State);
        Assert.Equal(2, source.Requests);
        var job = Assert.Single(jobs);
        Assert.Equal(2, job.Attempts);
        Assert.DoesNotContain($"-{dead.ProcessId}-", job.LeaseOwner, StringComparison.Ordinal);
        Assert.Null(job.StagingKey);
        Assert.Equal(0, running);
        Assert.Equal([$"images/{imageId}"], await LeftInStoreAsync());
    }

    // The same crash, from a source that answers ranges: the node taking the job over reads back what
    // the dead one stored (the .part file, or the parts of its multipart upload), rebuilds the hashes
    // from it, and fetches only the rest with Range and If-Range.
    [Fact]
    public async Task ImportWorker_NodeKilledMidImportFromRangedSource_OtherNodeGoesOnFromTheStagedData()
    {
        var (bytes, source, takeover) = await KillMidRangedImportAsync(changesAfterRequests: int.MaxValue);

        Assert.Equal(1, takeover.Resumes);
        Assert.Equal(2, source.Requests);
        Assert.True(source.Starts[1] >= 5 << 20, $"the take-over asked from byte {source.Starts[1]}");
        Assert.InRange(source.BytesSent, bytes.Length, bytes.Length + (bytes.Length / 2));
    }

    // When the object changed before the take-over, going on would splice two versions: the node
    // taking over removes the staged data and starts from the first byte, and nothing of the dead
    // node's staging is left.
    [Fact]
    public async Task ImportWorker_NodeKilledAndSourceChangedMeanwhile_OtherNodeStartsOverAndLeavesNothingBehind()
    {
        var (bytes, source, takeover) = await KillMidRangedImportAsync(changesAfterRequests: 1);

        Assert.Equal(0, takeover.Resumes);
        Assert.Equal(3, source.Requests);
        // The take-over's Range + If-Range is answered with the whole new version (200), refused.
        Assert.Equal([0L, 0L, 0L], source.Starts);
        Assert.True(source.BytesSent >= 2L * bytes.Length - (bytes.Length / 2), $"sent {source.BytesSent}");
    }

    // Node A or B imports from a RangeSource whose first answer trickles; the holder is killed once it
    // has stored at least 5 MiB durably (an S3 part, or a flush), and the other node must finish the
    // import with the right hashes, two attempts, and nothing in the store but the image's data.
    private async Task<(byte[] Bytes, RangeSource Source, Protocol.Imports.ImportStatusResponse Status)> KillMidRangedImportAsync(
        int changesAfterRequests)
    {
        var ct = TestContext.Current.CancellationToken;
        var file = _disks.Qcow2WithData("takeover-resume.qcow2", ImageBytes, seed: 13);
        var bytes = await File.ReadAllBytesAsync(file, ct);
        await using var storage = await ObjectStorageServer.StartAsync();
        var source = new RangeSource(bytes) { TrickleFirst = 256 << 10, ChangesAfterRequests = changesAfterRequests };
        var url = storage.Serve("/bucket/takeover-resume.qcow2", source.HandleAsync);
        var environment = _backend.Environment();
        environment["Import__AllowedSources__0"] = storage.BaseUri.ToString();
        environment["Import__LeaseDuration"] = "00:00:02";
        environment["Import__PollInterval"] = "00:00:00.250";
        environment["Storage__FlushIntervalBytes"] = (1 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Storage__S3__PartSizeBytes"] = (5 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Logging__LogLevel__Default"] = "Warning";
        var key = await ServiceProcess.CreateKeyAsync(environment, "acct-resume", ct);
        var (nodeA, nodeB) = await StartTwoNodesAsync(environment, ct);
        using var a = nodeA;
        using var b = nodeB;
        using var clientA = nodeA.CreateSignedClient(key);
        using var clientB = nodeB.CreateSignedClient(key);

        var imageId = (await clientA.CreateFromAsync(url)).Id;
        var holder = await RunningJobPastAsync(imageId, 8 << 20, ct, staged: 5 << 20);
        var (dead, survivor, other) = holder.LeaseOwner!.Contains($"-{nodeA.ProcessId}-", StringComparison.Ordinal)
            ? (nodeA, clientB, nodeB)
            : (nodeB, clientA, nodeA);
        dead.Kill();
        var image = await survivor.WaitForImportAsync(imageId, seconds: 60);
        var status = await survivor.ImportStatusAsync(imageId);
        await using var db = _backend.CreateDbContext();
        var job = await db.ImportJobs.AsNoTracking().SingleAsync(j => j.ImageId == imageId, ct);

        Assert.True(image.Status == "active",
            $"The image is {image.Status}: {status.Error?.Code} {status.Error?.Detail}\n{string.Join("\n", other.Output)}");
        Assert.Equal(DiskImages.HashWith("md5sum", file), image.Checksum);
        Assert.Equal(DiskImages.HashWith("sha512sum", file), image.OsHashValue);
        Assert.Equal(bytes.Length, image.Size);
        Assert.Equal(2, job.Attempts);
        Assert.Equal([$"images/{imageId}"], await LeftInStoreAsync());
        return (bytes, source, status);
    }

    public void Dispose()
    {
        _backend.Dispose();
        _disks.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    // Both at once, to save a start-up; neither outlives the test if the other fails to start.
    private static async Task<(ServiceProcess A, ServiceProcess B)> StartTwoNodesAsync(Dictionary<string, string> environment, CancellationToken ct)
    {
        var starting = new[] { ServiceProcess.StartAsync(environment, ct), ServiceProcess.StartAsync(environment, ct) };
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(t => t.IsCompletedSuccessfully))
            {
                started.Result.Dispose();
            }

            throw;
        }

        return (starting[0].Result, starting[1].Result);
    }

    // The job, once a node holds it and has copied past `bytes` (so that stored parts exist).
    private async Task<ImportJob> RunningJobPastAsync(string imageId, long bytes, CancellationToken ct, long staged = 0)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var db = _backend.CreateDbContext();
            var job = await db.ImportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.ImageId == imageId, ct);
            if (job is { State: ImportState.Running, LeaseOwner: not null } && job.BytesDone >= bytes && job.StagedBytes >= staged)
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The import did not get past {bytes} bytes in time; the job is {job?.State}.");
            await Task.Delay(50, ct);
        }
    }

    // Everything the store holds: stored images and data still staging (unfinished multipart
    // uploads in S3, .part files on disk), read straight from the bucket or the folder.
    private async Task<string[]> LeftInStoreAsync()
    {
        if (_backend.Bucket is { } bucket)
        {
            return [.. await bucket.ObjectKeysAsync(), .. (await bucket.UnfinishedUploadKeysAsync()).Select(k => $"unfinished upload of {k}")];
        }

        var staging = Directory.GetFiles(Path.Combine(_data, "staging")).Select(f => $"staging/{Path.GetFileName(f)}");
        var images = Directory.GetFiles(Path.Combine(_data, "images")).Select(f => $"images/{Path.GetFileName(f)}");
        return [.. images, .. staging];
    }
}
