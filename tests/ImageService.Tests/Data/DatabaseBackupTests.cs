using System.Net;
using System.Net.Http.Json;
using ImageService.Protocol;
using ImageService.Protocol.Images;
using ImageService.Tests.Imports;
using ImageService.Tests.Observability;

namespace ImageService.Tests.Data;

// `db backup` and the restore procedure of docs/operations.md#backups, on real processes: the
// backup is taken while the service imports and writes, and a fresh data folder made from it
// serves the same images with the same bytes.
public sealed class DatabaseBackupTests : IDisposable
{
    private readonly DiskImages _disks = new();
    private readonly string _work = Directory.CreateTempSubdirectory("imageservice-backup-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DbBackup_UnderWriteLoad_RestoredDataFolderServesTheSameImagesWithTheSameBytes()
    {
        var sources = Enumerable.Range(1, 3).Select(i => _disks.Qcow2WithData($"backup-{i}.qcow2", 1 << 20, seed: 20 + i)).ToList();
        await using var storage = await ObjectStorageServer.StartAsync();
        var urls = sources.Select(f => storage.ServeFile($"/bucket/{Path.GetFileName(f)}", f)).ToList();
        var live = ImportingService.Environment(Path.Combine(_work, "live"), storage);
        var key = await ServiceProcess.CreateKeyAsync(live, "acct-backup", Ct);
        using var service = await ServiceProcess.StartAsync(live, Ct);
        using var client = service.CreateSignedClient(key);
        var before = new List<string>();
        foreach (var url in urls)
        {
            before.Add((await client.WaitForImportAsync((await client.CreateFromAsync(url)).Id, seconds: 60)).Id);
        }

        // Writers keep creating and importing while the backup runs.
        using var stopLoad = new CancellationTokenSource();
        var load = Task.Run(() => WriteLoadAsync(client, urls, stopLoad.Token), Ct);
        var backupFile = Path.Combine(_work, "images-backup.db");
        var (exitCode, output, error) = await ServiceProcess.RunAsync(live, Ct, "db", "backup", backupFile);
        await stopLoad.CancelAsync();
        var created = await load;

        // The restore, as docs/operations.md describes it: image files copied after the database,
        // then the key ring, then the database under its own name, in a fresh folder.
        var restored = Path.Combine(_work, "restored");
        CopyDirectory(Path.Combine(_work, "live", "images"), Path.Combine(restored, "images"));
        CopyDirectory(Path.Combine(_work, "live", "keys"), Path.Combine(restored, "keys"));
        File.Copy(backupFile, Path.Combine(restored, "images.db"));
        using var again = await ServiceProcess.StartAsync(ImportingService.Environment(restored, storage), Ct);
        using var restoredClient = again.CreateSignedClient(key);
        var images = (await restoredClient.GetFromJsonAsync<ImageListResponseV1Dot2>("/v1/images?limit=1000", ScpJson.Options, Ct))!.Images;

        Assert.True(exitCode == 0, error);
        Assert.Contains(backupFile, output, StringComparison.Ordinal);
        Assert.True(created > 0, "the write load created nothing while the backup ran");
        Assert.Superset(before.ToHashSet(), images.Select(i => i.Id).ToHashSet());
        foreach (var image in images.Where(i => i.Status == "active"))
        {
            var bytes = await restoredClient.GetByteArrayAsync($"/v2/images/{image.Id}/file", Ct);
            Assert.Equal(image.Size, bytes.Length);
            Assert.Contains(sources, f => File.ReadAllBytes(f).AsSpan().SequenceEqual(bytes));
        }
    }

    [Fact]
    public async Task DbBackup_TargetExists_RefusesAndLeavesItUntouched()
    {
        var data = Path.Combine(_work, "exists");
        var environment = new Dictionary<string, string> { ["Data__Directory"] = data };
        await ServiceProcess.CreateKeyAsync(environment, "acct-exists", Ct);
        var target = Path.Combine(_work, "taken.db");
        await File.WriteAllTextAsync(target, "keep me", Ct);

        var (exitCode, _, error) = await ServiceProcess.RunAsync(environment, Ct, "db", "backup", target);

        Assert.Equal(1, exitCode);
        Assert.Contains("exists", error, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(target, Ct));
        Assert.Equal(["taken.db"], Directory.GetFiles(_work).Select(Path.GetFileName));
    }

    public void Dispose()
    {
        _disks.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    private static async Task<int> WriteLoadAsync(HttpClient client, List<string> urls, CancellationToken stop)
    {
        var created = 0;
        while (!stop.IsCancellationRequested)
        {
            using var response = await client.PostAsync("/v1/images",
                ApiJson.Body(new ImageCreateRequest { Name = $"load-{created}", OsDistro = "ubuntu", Url = urls[created % urls.Count] }), CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            created++;
        }

        return created;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
