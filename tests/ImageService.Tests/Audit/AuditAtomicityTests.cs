using System.Net;
using ImageService.Api.Audit;
using ImageService.Api.Data;
using ImageService.Protocol.Images;
using ImageService.Tests.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Audit;

// The event and its change share one transaction: when writing the event fails, the change is not
// made either, whether it was a tracked save (createImage) or a set-based statement (deleteImage,
// updateImage).
public sealed class AuditAtomicityTests : IDisposable
{
    private readonly FailingAudit _failing = new();
    private readonly ImageServiceApp _app;

    public AuditAtomicityTests() => _app = ImageServiceApp.Create(services: s =>
    {
        s.ConfigureDbContext<SqliteImageDbContext>(o => o.AddInterceptors(_failing));
        s.ConfigureDbContext<PostgresImageDbContext>(o => o.AddInterceptors(_failing));
    });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Changes_TheirEventCannotBeWritten_AreRolledBack()
    {
        using var client = await _app.CreateAccountClientAsync();
        var imageId = await client.CreateImageAsync();

        _failing.Operation = "createImage";
        using var create = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.Create("never-made")), Ct);
        _failing.Operation = "updateImage";
        using var update = await client.PutAsync($"/v1/images/{imageId}", ApiJson.Body(new ImageSetRequest { MinDisk = 7 }), Ct);
        _failing.Operation = "deleteImage";
        using var delete = await client.DeleteAsync($"/v1/images/{imageId}", Ct);
        _failing.Operation = null;

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError],
            [create.StatusCode, update.StatusCode, delete.StatusCode]);
        var image = await client.GetFromJsonObjectAsync($"/v1/images/{imageId}");
        Assert.Equal(0, image["min_disk"]!.GetValue<int>());
        Assert.DoesNotContain("never-made", (await client.GetStringAsync("/v1/images?name=never-made", Ct)), StringComparison.Ordinal);
        Assert.Equal(["createImage"], (await client.AuditAsync()).Operations().Where(o => o != "createAccessKey"));
    }

    public void Dispose() => _app.Dispose();

    // Fails any save that would write an event of the given operation.
    private sealed class FailingAudit : SaveChangesInterceptor
    {
        public volatile string? Operation;

        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            eventData.Context!.ChangeTracker.Entries<AuditEvent>().Any(e => e.State == EntityState.Added && e.Entity.Operation == Operation)
                ? throw new DbUpdateException("The audit trail is unavailable (a test's interceptor).")
                : ValueTask.FromResult(result);
    }
}
