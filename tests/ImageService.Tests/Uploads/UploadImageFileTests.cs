using System.Net;
using ImageService.Api.Data;
using ImageService.Api.Imports;
using ImageService.Tests.Audit;
using ImageService.Tests.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Uploads;

// Issue 13, item 4: createImageForUpload then uploadImageFile, through the same pass as an import.
public sealed class UploadImageFileTests(ImportFixture fixture) : IClassFixture<ImportFixture>
{
    private ImageServiceApp App => fixture.App;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UploadImageFile_RealQcow2_AnswersNoContentWithTheImageActiveHashedAndAudited(bool announceLength)
    {
        var file = fixture.Disks.Qcow2WithData($"upload-{announceLength}.qcow2", 3 << 20, seed: 51);
        var bytes = await File.ReadAllBytesAsync(file, Ct);
        using var client = await App.CreateAccountClientAsync();

        var created = await client.CreateForUploadAsync();
        using var response = await client.UploadAsync(created.Id, bytes, announceLength: announceLength);
        var image = await client.WaitForImportAsync(created.Id);
        var status = await client.ImportStatusAsync(created.Id);
        using var download = await client.GetAsync(image.File, Ct);
        var events = await client.AuditAsync($"?image_id={created.Id}");

        Assert.Equal(("queued", null), (created.Status, created.Url));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("active", image.Status);
        Assert.Equal(DiskImages.HashWith("md5sum", file), image.Checksum);
        Assert.Equal(DiskImages.HashWith("sha512sum", file), image.OsHashValue);
        Assert.Equal(bytes.Length, image.Size);
        Assert.Equal(DiskImages.VirtualSize(file), image.VirtualSize);
        Assert.Equal(("succeeded", (long)bytes.Length), (status.State, status.BytesDone));
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal([$"images/{image.Id}"], await App.StoredDataOfAsync(image.Id));
        Assert.Contains(events, e => e.Operation == "uploadImageFile" && e.Outcome == "succeeded" && e.AccessKey is not null);
        Assert.Contains(events, e => e.Operation == "createImageForUpload");
    }

    [Theory]
    [InlineData("md5sum", "md5")]
    [InlineData("sha256sum", "sha256")]
    [InlineData("sha512sum", "sha512")]
    public async Task UploadImageFile_ExpectedChecksum_RightIsActiveAndWrongIsKilledWith400(string tool, string algorithm)
    {
        var file = fixture.Disks.Qcow2WithData($"upload-sum-{algorithm}.qcow2", 1 << 20, seed: 52);
        var bytes = await File.ReadAllBytesAsync(file, Ct);
        var digest = DiskImages.HashWith(tool, file);
        using var client = await App.CreateAccountClientAsync();
        var right = await client.CreateForUploadAsync("right");
        var wrong = await client.CreateForUploadAsync("wrong");

        using var rightResponse = await client.UploadAsync(right.Id, bytes, $"{algorithm}:{digest}", bytes.Length);
        using var wrongResponse = await client.UploadAsync(wrong.Id, bytes, $"{algorithm}:{new string('e', digest.Length)}");
        var killed = await client.WaitForImportAsync(wrong.Id);

        Assert.Equal(HttpStatusCode.NoContent, rightResponse.StatusCode);
        Assert.Equal($"{algorithm}:{digest}", (await client.ImportStatusAsync(right.Id)).VerifiedChecksum);
        Assert.Equal(HttpStatusCode.BadRequest, wrongResponse.StatusCode);
        Assert.Equal(["checksum_mismatch"], await wrongResponse.ErrorCodesAsync());
        Assert.Equal("killed", killed.Status);
        Assert.Equal("checksum_mismatch", (await client.ImportStatusAsync(wrong.Id)).Error?.Code);
        Assert.Empty(await App.StoredDataOfAsync(wrong.Id));
    }

    [Fact]
    public async Task UploadImageFile_WrongSizeOrMalformedHeaders_AnswersTheCodeAndKeepsNothing()
    {
        var bytes = await File.ReadAllBytesAsync(fixture.Disks.Qcow2WithData("upload-size.qcow2", 1 << 20, seed: 53), Ct);
        using var client = await App.CreateAccountClientAsync();
        var sized = await client.CreateForUploadAsync("sized");
        var malformed = await client.CreateForUploadAsync("malformed");

        using var tooShort = await client.UploadAsync(sized.Id, bytes, size: bytes.Length + 1);
        using var badChecksum = await client.UploadAsync(malformed.Id, bytes, "sha256:abc");

        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Equal(["size_mismatch"], await tooShort.ErrorCodesAsync());
        Assert.Equal("killed", (await client.WaitForImportAsync(sized.Id)).Status);
        Assert.Empty(await App.StoredDataOfAsync(sized.Id));
        Assert.Equal(HttpStatusCode.BadRequest, badChecksum.StatusCode);
        Assert.Equal(["invalid_checksum"], await badChecksum.ErrorCodesAsync());
        Assert.Equal("queued", (await client.WaitForImportAsync(malformed.Id)).Status);
    }

    [Fact]
    public async Task UploadImageFile_ImageWithDataOrImporting_Answers409AndLeavesItAsItWas()
    {
        var file = fixture.Disks.Qcow2WithData("upload-twice.qcow2", 1 << 20, seed: 54);
        var bytes = await File.ReadAllBytesAsync(file, Ct);
        using var client = await App.CreateAccountClientAsync();
        var image = await client.CreateForUploadAsync();
        using var first = await client.UploadAsync(image.Id, bytes);
        var importing = await client.CreateFromAsync(fixture.Storage.ServeTricklingFirst("/bucket/upload-slow.qcow2", bytes, 1024));

        using var second = await client.UploadAsync(image.Id, bytes);
        using var duringImport = await client.UploadAsync(importing.Id, bytes);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(["image_has_data"], await second.ErrorCodesAsync());
        Assert.Equal(HttpStatusCode.Conflict, duringImport.StatusCode);
        Assert.Equal(["image_has_data"], await duringImport.ErrorCodesAsync());
        Assert.Equal("active", (await client.WaitForImportAsync(image.Id)).Status);
    }

    [Fact]
    public async Task UploadImageFile_AnotherAccount_Answers404AndTheImageStaysQueued()
    {
        var bytes = await File.ReadAllBytesAsync(fixture.Disks.Qcow2WithData("upload-stranger.qcow2", 1 << 20, seed: 55), Ct);
        using var owner = await App.CreateAccountClientAsync();
        using var stranger = await App.CreateAccountClientAsync();
        var image = await owner.CreateForUploadAsync();

        using var response = await stranger.UploadAsync(image.Id, bytes);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(["image_not_found"], await response.ErrorCodesAsync());
        Assert.Equal("queued", (await owner.WaitForImportAsync(image.Id)).Status);
    }

    [Fact]
    public async Task CreateImageForUpload_WithUrlOrWithoutName_Answers400()
    {
        using var client = await App.CreateAccountClientAsync();

        using var withUrl = await client.PostAsync("/v2/images",
            ApiJson.Body(new Protocol.Images.ImageCreateRequest { Name = "x", OsDistro = "ubuntu", Url = fixture.Storage.Url("/bucket/x.qcow2") }), Ct);
        using var withoutName = await client.PostAsync("/v2/images", ApiJson.Body(new Protocol.Images.ImageCreateRequest { OsDistro = "ubuntu" }), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, withUrl.StatusCode);
        Assert.Equal(["url_not_allowed"], await withUrl.ErrorCodesAsync());
        Assert.Equal(HttpStatusCode.BadRequest, withoutName.StatusCode);
        Assert.Equal(["invalid_name"], await withoutName.ErrorCodesAsync());
    }

    // The node receiving an upload died: its job's lease runs out, and the worker that claims it
    // cannot fetch the bytes again, so it ends the image killed instead of leaving it importing.
    [Fact]
    public async Task UploadJob_WhoseNodeDied_IsFailedByTheWorkerAsUploadInterrupted()
    {
        using var client = await App.CreateAccountClientAsync();
        var image = await client.CreateForUploadAsync();
        var past = DateTime.UtcNow.AddMinutes(-1);
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
            await db.Images.Where(i => i.Id == image.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, "importing"), Ct);
            var owner = await db.Images.Where(i => i.Id == image.Id).Select(i => i.OwnerId).SingleAsync(Ct);
            db.ImportJobs.Add(ImportJobs.NewUpload(image.Id, owner, "a-node-that-died", past, past, null));
            await db.SaveChangesAsync(Ct);
        }

        App.Services.GetRequiredService<ImportSignal>().Ring();
        var killed = await client.WaitForImportAsync(image.Id);
        var status = await client.ImportStatusAsync(image.Id);

        Assert.Equal("killed", killed.Status);
        Assert.Equal("upload_interrupted", status.Error?.Code);
    }

    [Fact]
    public async Task UploadImageFile_NotQcow2_IsKilledLikeAnImport()
    {
        using var client = await App.CreateAccountClientAsync();
        var image = await client.CreateForUploadAsync();

        using var response = await client.UploadAsync(image.Id, new byte[300_000]);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["not_qcow2"], await response.ErrorCodesAsync());
        Assert.Equal("killed", (await client.WaitForImportAsync(image.Id)).Status);
    }
}
