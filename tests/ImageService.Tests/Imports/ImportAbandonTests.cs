using ImageService.Api.Data;
using ImageService.Api.Imports;
using ImageService.Api.Storage;
using ImageService.Tests.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Imports;

// A job whose nodes keep dying is given up after ImportJobs.MaxAttempts, with a reason, and the
// staging data the last dead node left (a partial file, or an unfinished multipart upload) goes
// with it at once rather than at the next sweep.
public sealed class ImportAbandonTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    [Fact]
    public async Task RunAsync_JobInterruptedTooOften_FailsAbandonedAndRemovesTheDeadNodesStagingData()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = await app.CreateAccountClientAsync();
        var imageId = (await client.CreateFromAsync(ImageRequests.Url)).Id;
        await using var partial = await app.Services.GetRequiredService<IImageFileStore>().BeginUploadAsync(imageId, null, ct);
        await partial.WriteAsync(new byte[4096], ct);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
            var expired = DateTime.UtcNow.AddMinutes(-1);
            await db.ImportJobs.Where(j => j.ImageId == imageId).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, ImportState.Running)
                .SetProperty(j => j.LeaseOwner, "a-node-that-died")
                .SetProperty(j => j.LeaseExpiresAt, expired)
                .SetProperty(j => j.Attempts, ImportJobs.MaxAttempts)
                .SetProperty(j => j.StagingKey, partial.StagingKey), ct);
        }

        var staged = await app.StoredDataOfAsync(imageId);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var job = await scope.ServiceProvider.GetRequiredService<ImportJobs>().TryClaimAsync("the-node-taking-over", ct);
            await app.Services.GetRequiredService<ImportRunner>().RunAsync(job!, "the-node-taking-over", ct);
        }

        var image = await client.WaitForImportAsync(imageId);
        var status = await client.ImportStatusAsync(imageId);

        Assert.Equal([$"staging/{partial.StagingKey}"], staged);
        Assert.Equal("killed", image.Status);
        Assert.Equal("failed", status.State);
        Assert.Equal(ImportErrorCodes.Abandoned, status.Error?.Code);
        Assert.Empty(await app.StoredDataOfAsync(imageId));
    }
}
