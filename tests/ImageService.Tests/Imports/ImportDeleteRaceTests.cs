using System.Diagnostics;
using System.Net;

namespace ImageService.Tests.Imports;

// A delete that lands while the importer puts the data in place (after the copy, around the rename
// and the success write) must leave nothing behind at once, not after the sweep's grace period.
public sealed class ImportDeleteRaceTests(ImportFixture fixture) : IClassFixture<ImportFixture>
{
    private const int Rounds = 30;

    [Fact]
    public async Task DeleteImage_LandingWhileTheImportStoresItsData_LeavesNoDataBehind()
    {
        var ct = TestContext.Current.CancellationToken;
        var bytes = await File.ReadAllBytesAsync(fixture.Disks.Qcow2WithData("race.qcow2", 1 << 20, seed: 61), ct);
        using var client = await fixture.App.CreateAccountClientAsync();
        var random = new Random(61);
        var leftovers = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            // The source holds back its last 64 KiB until the delete is on its way, then sends them
            // after a different short spin each round, so that the delete lands at a different point
            // of the finish: before the commit, between the rename and the success write, or after.
            var almost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var spin = random.Next(0, 200_000);
            var url = fixture.Storage.Serve($"/bucket/race-{round}.qcow2", async context =>
            {
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length - 65536), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                almost.TrySetResult();
                await go.Task.WaitAsync(context.RequestAborted);
                Thread.SpinWait(spin);
                await context.Response.Body.WriteAsync(bytes.AsMemory(bytes.Length - 65536), context.RequestAborted);
            });
            var imageId = (await client.CreateFromAsync(url, $"race-{round}")).Id;
            await almost.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);

            var deleting = client.DeleteAsync($"/v1/images/{imageId}", ct);
            go.TrySetResult();
            using var deleted = await deleting;

            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
            if (!await NoDataWithinAsync(imageId, TimeSpan.FromSeconds(10)))
            {
                leftovers.Add(imageId);
            }
        }

        Assert.Empty(leftovers);
    }

    // The importer notices the delete within its next step; the sweep would take minutes.
    private async Task<bool> NoDataWithinAsync(string imageId, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if ((await fixture.App.StoredDataOfAsync(imageId)).Length == 0)
            {
                return true;
            }

            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
