namespace ImageService.Tests.Imports;

public sealed class ImportCrashTests : IDisposable
{
    private readonly DiskImages _disks = new();
    private readonly string _data = Directory.CreateTempSubdirectory("imageservice-crash-").FullName;

    [Fact]
    public async Task ImportWorker_ProcessKilledMidImport_RestartedServiceFinishesWithCorrectHashesAndNoLeftovers()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = _disks.Qcow2WithData("crash.qcow2", 8 << 20, seed: 11);
        var bytes = await File.ReadAllBytesAsync(file, ct);
        await using var storage = await ObjectStorageServer.StartAsync();

        // The first download trickles, so that the kill lands in the middle of it.
        var url = storage.ServeTricklingFirst("/bucket/crash.qcow2", bytes, 64 << 10);
        var environment = new Dictionary<string, string>
        {
            ["Data__Directory"] = _data,
            ["Import__AllowedSources__0"] = storage.BaseUri.ToString(),
            ["Import__LeaseDuration"] = "00:00:02",
            ["Import__PollInterval"] = "00:00:00.250",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var key = await ServiceProcess.CreateKeyAsync(environment, "acct-crash", ct);

        string imageId;
        using (var first = await ServiceProcess.StartAsync(environment, ct))
        using (var client = first.CreateSignedClient(key))
        {
            imageId = (await client.CreateFromAsync(url)).Id;
            while ((await client.ImportStatusAsync(imageId)).BytesDone == 0)
            {
                await Task.Delay(50, ct);
            }

            first.Kill();
        }

        var staged = Directory.GetFiles(Path.Combine(_data, "staging"));
        using var second = await ServiceProcess.StartAsync(environment, ct);
        using var again = second.CreateSignedClient(key);
        var image = await again.WaitForImportAsync(imageId, seconds: 60);
        var status = await again.ImportStatusAsync(imageId);

        Assert.NotEmpty(staged);
        Assert.True(image.Status == "active", $"The image is {image.Status}: {status.Error?.Code} {status.Error?.Detail}");
        Assert.Equal(DiskImages.HashWith("md5sum", file), image.Checksum);
        Assert.Equal(DiskImages.HashWith("sha512sum", file), image.OsHashValue);
        Assert.Equal(bytes.Length, image.Size);
        Assert.Equal("succeeded", status.State);
        Assert.True(Directory.GetFiles(Path.Combine(_data, "staging")).Length == 0, string.Join("\n", second.Output));
        Assert.Equal([imageId], Directory.GetFiles(Path.Combine(_data, "images")).Select(Path.GetFileName));
    }

    public void Dispose()
    {
        _disks.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
