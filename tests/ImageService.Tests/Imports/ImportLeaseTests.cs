using ImageService.Api.Audit;
using ImageService.Api.Data;
using ImageService.Api.Imports;
using ImageService.Tests.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Imports;

// A lease is a node's and an attempt's: when a loaded node lets its own lease run out and its worker
// claims the job again, the run that lost the lease must stop at its next write rather than go on
// beside the new attempt (a second source request, and a .part nothing records).
public sealed class ImportLeaseTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    [Fact]
    public async Task RenewAsync_SameNodeClaimedTheJobAgain_OnlyTheNewAttemptHoldsTheLease()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = await app.CreateAccountClientAsync();
        var imageId = (await client.CreateFromAsync(ImageRequests.Url)).Id;
        await client.WaitForImportAsync(imageId);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        var jobs = scope.ServiceProvider.GetRequiredService<ImportJobs>();
        await db.ImportJobs.Where(j => j.ImageId == imageId).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.State, ImportState.Running)
            .SetProperty(j => j.ErrorCode, (string?)null)
            .SetProperty(j => j.LeaseOwner, "a-loaded-node")
            .SetProperty(j => j.LeaseExpiresAt, DateTime.UtcNow.AddMinutes(-1))
            .SetProperty(j => j.Attempts, 1), ct);
        var earlier = await db.ImportJobs.AsNoTracking().SingleAsync(j => j.ImageId == imageId, ct);

        var again = await jobs.TryClaimAsync("a-loaded-node", ct);
        var earlierRenewed = await jobs.RenewAsync(earlier, "a-loaded-node", new ImportProgress(1, null, null, 0, null, 0), ct);
        await jobs.FailAsync(earlier, "a-loaded-node", "storage_failed", "the earlier attempt", AuditTrail.Worker(earlier.AccountId), ct);
        var againRenewed = await jobs.RenewAsync(again!, "a-loaded-node", new ImportProgress(2, null, null, 0, null, 0), ct);
        var job = await db.ImportJobs.AsNoTracking().SingleAsync(j => j.ImageId == imageId, ct);

        Assert.Equal(2, again?.Attempts);
        Assert.False(earlierRenewed);
        Assert.True(againRenewed);
        Assert.Equal(ImportState.Running, job.State);
        Assert.Equal(2, job.BytesDone);
    }
}
