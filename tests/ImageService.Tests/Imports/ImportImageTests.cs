using System.Net;
using ImageService.Protocol.Images;

namespace ImageService.Tests.Imports;

public sealed class ImportImageTests(ImportFixture fixture) : IClassFixture<ImportFixture>
{
    private ImageServiceApp App => fixture.App;

    [Fact]
    public async Task CreateImage_RealQcow2_BecomesActiveWithTheFilesHashesSizeAndVirtualSize()
    {
        var file = fixture.Disks.Qcow2WithData("real.qcow2", 3 << 20, seed: 7);
        var url = fixture.Storage.ServeFile("/bucket/real.qcow2", file);
        using var client = await App.CreateAccountClientAsync();

        var created = await client.CreateFromAsync(url);
        var image = await client.WaitForImportAsync(created.Id);
        var progress = await client.ImportStatusAsync(created.Id);

        Assert.Equal("importing", created.Status);
        Assert.Equal("active", image.Status);
        Assert.Equal(DiskImages.HashWith("md5sum", file), image.Checksum);
        Assert.Equal("sha512", image.OsHashAlgo);
        Assert.Equal(DiskImages.HashWith("sha512sum", file), image.OsHashValue);
        Assert.Equal(new FileInfo(file).Length, image.Size);
        Assert.Equal(DiskImages.VirtualSize(file), image.VirtualSize);
        Assert.Equal(url, image.Url);
        Assert.Equal("succeeded", progress.State);
        Assert.Equal(new FileInfo(file).Length, progress.BytesDone);
        Assert.Null(progress.Error);
        Assert.Equal([$"images/{image.Id}"], await App.StoredDataOfAsync(image.Id));
    }

    [Fact]
    public async Task DownloadImageFile_ActiveImage_ReturnsTheSourceBytesWholeAndByRange()
    {
        var file = fixture.Disks.Qcow2WithData("download.qcow2", 2 << 20, seed: 8);
        var source = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        var url = fixture.Storage.ServeFile("/bucket/download.qcow2", file);
        using var client = await App.CreateAccountClientAsync();
        var image = await client.WaitForImportAsync((await client.CreateFromAsync(url)).Id);

        using var whole = await client.GetAsync(image.File, TestContext.Current.CancellationToken);
        using var rangeRequest = new HttpRequestMessage(HttpMethod.Get, image.File);
        rangeRequest.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 70999);
        using var range = await client.SendAsync(rangeRequest, TestContext.Current.CancellationToken);
        using var badRangeRequest = new HttpRequestMessage(HttpMethod.Get, image.File);
        badRangeRequest.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(source.Length + 10, null);
        using var badRange = await client.SendAsync(badRangeRequest, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(source, await whole.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(source.Length, whole.Content.Headers.ContentLength);
        Assert.Equal($"\"{image.Checksum}\"", whole.Headers.ETag?.Tag);
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(source[1000..71000], await range.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, badRange.StatusCode);
    }

    // Larger than two S3 parts (8 MiB each by default), so that parts go up while the copy goes on,
    // one waits for a free slot, and a short last part completes the upload.
    [Fact]
    public async Task CreateImage_LargerThanTwoStorageParts_StoresEveryByteInOrder()
    {
        var file = fixture.Disks.Qcow2WithData("parts.qcow2", 20 << 20, seed: 9);
        var source = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        using var client = await App.CreateAccountClientAsync();

        var image = await client.WaitForImportAsync((await client.CreateFromAsync(fixture.Storage.ServeFile("/bucket/parts.qcow2", file))).Id);
        using var whole = await client.GetAsync(image.File, TestContext.Current.CancellationToken);
        using var acrossParts = new HttpRequestMessage(HttpMethod.Get, image.File);
        acrossParts.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue((8 << 20) - 100, (8 << 20) + 99);
        using var range = await client.SendAsync(acrossParts, TestContext.Current.CancellationToken);

        Assert.Equal("active", image.Status);
        Assert.Equal(DiskImages.HashWith("md5sum", file), image.Checksum);
        Assert.Equal(source.Length, image.Size);
        Assert.Equal(source, await whole.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(source[((8 << 20) - 100)..((8 << 20) + 100)], await range.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal([$"images/{image.Id}"], await App.StoredDataOfAsync(image.Id));
    }

    [Fact]
    public async Task DownloadImageFile_ImageStillImportingOrOfAnotherAccount_Returns409Or404()
    {
        using var owner = await App.CreateAccountClientAsync();
        using var stranger = await App.CreateAccountClientAsync();
        var url = fixture.Storage.Serve("/bucket/never.qcow2", async context =>
        {
            context.Response.ContentLength = 10 << 20;
            await context.Response.Body.WriteAsync(new byte[4096], context.RequestAborted);
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        var image = await owner.CreateFromAsync(url);

        using var importing = await owner.GetAsync(image.File, TestContext.Current.CancellationToken);
        using var hidden = await stranger.GetAsync(image.File, TestContext.Current.CancellationToken);
        using var deleted = await owner.DeleteAsync($"/v1/images/{image.Id}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, importing.StatusCode);
        Assert.Equal(["image_not_active"], await importing.ErrorCodesAsync());
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Fact]
    public async Task ImportImage_KilledImage_ImportsAgainFromTheNewUrl()
    {
        var file = fixture.Disks.Qcow2WithData("second-try.qcow2", 1 << 20, seed: 9);
        var good = fixture.Storage.ServeFile("/bucket/second-try.qcow2", file);
        using var client = await App.CreateAccountClientAsync();
        var killed = await client.WaitForImportAsync((await client.CreateFromAsync(fixture.Storage.Url("/bucket/missing.qcow2"))).Id);

        using var accepted = await client.PostAsync($"/v1/images/{killed.Id}/import", ApiJson.Body(new ImageImportRequest(good)),
            TestContext.Current.CancellationToken);
        var active = await client.WaitForImportAsync(killed.Id);
        using var again = await client.PostAsync($"/v1/images/{killed.Id}/import", ApiJson.Body(new ImageImportRequest(good)),
            TestContext.Current.CancellationToken);

        Assert.Equal("killed", killed.Status);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("active", active.Status);
        Assert.Equal(good, active.Url);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(["image_has_data"], await again.ErrorCodesAsync());
    }

    [Fact]
    public async Task ImportImage_OtherAccountsImage_Returns404()
    {
        using var owner = await App.CreateAccountClientAsync();
        using var stranger = await App.CreateAccountClientAsync();
        var image = await owner.WaitForImportAsync((await owner.CreateFromAsync(fixture.Storage.Url("/bucket/gone.qcow2"))).Id);

        using var response = await stranger.PostAsync($"/v1/images/{image.Id}/import",
            ApiJson.Body(new ImageImportRequest(fixture.Storage.Url("/bucket/x.qcow2"))), TestContext.Current.CancellationToken);
        using var status = await stranger.GetAsync($"/v1/images/{image.Id}/import", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, status.StatusCode);
    }

    [Fact]
    public async Task DeleteImage_DuringImport_AbortsTheDownloadAndLeavesNoData()
    {
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var url = fixture.Storage.Serve("/bucket/slow.qcow2", async context =>
        {
            var header = await File.ReadAllBytesAsync(fixture.Disks.Qcow2WithData("slow-head.qcow2", 4096, seed: 3));
            context.Response.ContentLength = 1L << 30;
            try
            {
                await context.Response.Body.WriteAsync(header, context.RequestAborted);
                var zeros = new byte[64 << 10];
                while (true)
                {
                    await context.Response.Body.WriteAsync(zeros, context.RequestAborted);
                    await Task.Delay(20, context.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
                aborted.TrySetResult();
            }
        });
        using var client = await App.CreateAccountClientAsync();
        var image = await client.CreateFromAsync(url);
        while ((await client.ImportStatusAsync(image.Id)).BytesDone == 0)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        using var deleted = await client.DeleteAsync($"/v1/images/{image.Id}", TestContext.Current.CancellationToken);
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var leftovers = await EventuallyEmptyAsync(() => App.StoredDataOfAsync(image.Id));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(leftovers);
    }

    private static async Task<string[]> EventuallyEmptyAsync(Func<Task<string[]>> probe)
    {
        for (var i = 0; i < 100; i++)
        {
            var found = await probe();
            if (found.Length == 0)
            {
                return found;
            }

            await Task.Delay(50);
        }

        return await probe();
    }
}
