using ImageService.Api.Audit;
using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Api.Observability;
using ImageService.Api.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Imports;

// After a crash, staging data of a dead job, and stored data whose image never turned active (or
// was deleted), have no owner. Anything older than the grace period (at least a lease) that no live
// job or active image claims is removed; younger data may belong to a copy or a commit in flight.
// Every node sweeps; two sweeps deleting the same orphan do no harm.
internal sealed partial class ImportSweeper(
    IServiceScopeFactory scopes,
    IImageFileStore store,
    IOptionsMonitor<ImportOptions> options,
    IOptionsMonitor<AuditOptions> audit,
    TimeProvider time,
    ImportMetrics metrics,
    ILogger<ImportSweeper> logger)
{
    private const int Batch = 500;

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var settings = options.CurrentValue;
        var cutoff = now - (settings.SweepGracePeriod > settings.LeaseDuration ? settings.SweepGracePeriod : settings.LeaseDuration);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        var removed = 0;

        var leaseFloor = now.UtcDateTime;
        var live = (await db.ImportJobs.AsNoTracking()
                .Where(j => j.State == ImportState.Running && j.LeaseExpiresAt >= leaseFloor && j.StagingKey != null)
                .Select(j => j.StagingKey!)
                .ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        await foreach (var staged in store.ListStagingAsync(ct))
        {
            if (!live.Contains(staged.Key) && staged.LastModified < cutoff)
            {
                await store.DeleteStagingAsync(staged.Key, ct);
                removed++;
            }
        }

        metrics.Swept("staging", removed);
        var staging = removed;
        var batch = new List<StoredObject>(Batch);
        await foreach (var stored in store.ListStoredAsync(ct))
        {
            if (stored.LastModified < cutoff)
            {
                batch.Add(stored);
            }

            if (batch.Count == Batch)
            {
                removed += await RemoveOrphansAsync(db, batch, ct);
                batch.Clear();
            }
        }

        removed += await RemoveOrphansAsync(db, batch, ct);
        metrics.Swept("stored", removed - staging);
        if (removed > 0)
        {
            Log.Swept(logger, removed);
        }

        // Audit events past Audit:RetentionPeriod go with the same sweep; they count apart from files.
        var kept = now.UtcDateTime - audit.CurrentValue.RetentionPeriod;
        if (await db.AuditEvents.Where(e => e.OccurredAt < kept).ExecuteDeleteAsync(ct) is > 0 and var pruned)
        {
            Log.Pruned(logger, pruned);
        }

        return removed;
    }

    private async Task<int> RemoveOrphansAsync(ImageDbContext db, List<StoredObject> batch, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return 0;
        }

        var ids = batch.Select(b => b.ImageId).ToArray();
        var owned = (await db.Images.AsNoTracking()
                .Where(i => ids.Contains(i.Id) && i.Status == ImageStatus.Active)
                .Select(i => i.Id)
                .ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var removed = 0;
        foreach (var orphan in batch.Where(b => !owned.Contains(b.ImageId)))
        {
            await store.DeleteAsync(orphan.ImageId, ct);
            removed++;
        }

        return removed;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Swept {Count} objects no job or active image owns")]
        public static partial void Swept(ILogger logger, int count);

        [LoggerMessage(2, LogLevel.Information, "Pruned {Count} audit events older than the retention period")]
        public static partial void Pruned(ILogger logger, int count);
    }
}
