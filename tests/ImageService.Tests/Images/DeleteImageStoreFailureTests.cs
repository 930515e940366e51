using System.Diagnostics;
using System.Net;
using Amazon.S3.Model;
using ImageService.Api.Imports;
using ImageService.Api.Storage;
using ImageService.Tests.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ImageService.Tests.Images;

// deleteImage when the store fails after the row is gone (a read-only disk, an S3 outage): the image
// is deleted, so the answer is 204, and its data is left for the sweeper. The failures are real: a
// data folder the kernel will not let anyone change, and a bucket that is no longer there.
public sealed class DeleteImageStoreFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DeleteImage_FileStoreCannotRemoveTheData_Returns204AndTheSweepRemovesItLater()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "chattr +i, which makes the data folder unchangeable even for root, needs root.");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = ImageServiceApp.Create(time, new Dictionary<string, string?> { ["Storage:Provider"] = StorageOptions.FileSystem });
        using var client = await app.CreateAccountClientAsync();
        var id = await client.CreateImageAsync();
        await using (var upload = await app.Services.GetRequiredService<IImageFileStore>().BeginUploadAsync(id, null, Ct))
        {
            await upload.WriteAsync(new byte[4096], Ct);
            await upload.CommitAsync(Ct);
        }

        var images = Path.Combine(app.DataDirectory, "images");
        var data = Path.Combine(images, id);

        HttpResponseMessage deleted;
        Chattr("+i", images);
        try
        {
            deleted = await client.DeleteAsync($"/v1/images/{id}", Ct);
        }
        finally
        {
            Chattr("-i", images);
        }

        using var shown = await client.GetAsync($"/v1/images/{id}", Ct);
        var leftAfterDelete = File.Exists(data);
        time.Advance(TimeSpan.FromHours(1));
        await app.Services.GetRequiredService<ImportSweeper>().SweepAsync(Ct);

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync(Ct));
        await ScpAssert.EnvelopeAsync(shown, HttpStatusCode.NotFound, "image_not_found");
        Assert.True(leftAfterDelete);
        Assert.False(File.Exists(data));
        deleted.Dispose();
    }

    [Fact]
    public async Task DeleteImage_S3StoreFails_Returns204AndTheImageIsGone()
    {
        Assert.SkipUnless(TestProviders.S3 is not null, "needs the S3 store of the PostgreSQL and S3 run (README).");
        using var app = ImageServiceApp.Create();
        using var client = await app.CreateAccountClientAsync();
        var id = await client.CreateImageAsync();
        using (var s3 = app.Backend.Bucket!.CreateClient())
        {
            await s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = app.Backend.Bucket.Name }, Ct);
        }

        var outage = await Record.ExceptionAsync(() => app.Services.GetRequiredService<IImageFileStore>().DeleteAsync(id, Ct));

        using var deleted = await client.DeleteAsync($"/v1/images/{id}", Ct);
        using var shown = await client.GetAsync($"/v1/images/{id}", Ct);

        Assert.IsType<IOException>(outage);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ScpAssert.EnvelopeAsync(shown, HttpStatusCode.NotFound, "image_not_found");
    }

    private static void Chattr(string change, string path)
    {
        using var process = Process.Start(new ProcessStartInfo("chattr", [change, path]) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"chattr {change} {path}: {error}");
    }
}
