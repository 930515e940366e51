using ImageService.Api.Audit;
using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Api.Observability;
using ImageService.Api.Quotas;
using ImageService.Protocol.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Imports;

// The queue's operations, each one conditional statement, so that they are safe with any number of
// nodes on one database: claim, renew, and finish only while this node holds the lease.
internal sealed class ImportJobs(
    ImageDbContext db, IOptionsMonitor<ImportOptions> options, AccountQuotas quotas, TimeProvider time, ImportMetrics metrics)
{
    public const int MaxAttempts = 3;

    public static ImportJob NewJob(string imageId, string accountId, string url, DateTime now, ExpectedImageData? expected = null) => new()
    {
        ImageId = imageId,
        AccountId = accountId,
        Url = url,
        ExpectedChecksum = expected?.Checksum?.ToString(),
        ExpectedSize = expected?.Size,
        State = ImportState.Queued,
        CreatedAt = now,
        UpdatedAt = now,
    };

    // An upload's job (Uploads/), claimed by the node whose request receives the bytes as it is made.
    public static ImportJob NewUpload(string imageId, string accountId, string node, DateTime lease, DateTime now, ExpectedImageData? expected) => new()
    {
        ImageId = imageId,
        AccountId = accountId,
        Url = "",
        ExpectedChecksum = expected?.Checksum?.ToString(),
        ExpectedSize = expected?.Size,
        State = ImportState.Running,
        LeaseOwner = node,
        LeaseExpiresAt = lease,
        Attempts = 1,
        CreatedAt = now,
        StartedAt = now,
        UpdatedAt = now,
    };

    // A job that is queued, or whose holder's lease ran out, from an account below its limit of
    // running imports and below its share of this node's slots; the account running the fewest here
    // goes first, then the oldest job. Null when there is none, or another node won the race for it.
    public async Task<ImportJob?> TryClaimAsync(string node, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var settings = options.CurrentValue;
        var perAccount = settings.MaxConcurrentImportsPerAccount;
        var share = NodeShare(settings.MaxConcurrentImports);
        var running = db.ImportJobs.Where(r => r.State == ImportState.Running && r.LeaseExpiresAt >= now);
        var candidate = await db.ImportJobs.AsNoTracking()
            .Where(j => j.State == ImportState.Queued || (j.State == ImportState.Running && j.LeaseExpiresAt < now))
            .Where(j => running.Count(r => r.AccountId == j.AccountId) < perAccount)
            .Where(j => running.Count(r => r.AccountId == j.AccountId && r.LeaseOwner == node) < share)
            .OrderBy(j => running.Count(r => r.AccountId == j.AccountId && r.LeaseOwner == node))
            .ThenBy(j => j.Id)
            .Select(j => new { j.Id, j.State, j.LeaseExpiresAt })
            .FirstOrDefaultAsync(ct);
        if (candidate is null)
        {
            return null;
        }

        var lease = now + options.CurrentValue.LeaseDuration;
        var claimed = await db.ImportJobs
            .Where(j => j.Id == candidate.Id && j.State == candidate.State && j.LeaseExpiresAt == candidate.LeaseExpiresAt)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, ImportState.Running)
                .SetProperty(j => j.LeaseOwner, node)
                .SetProperty(j => j.LeaseExpiresAt, lease)
                .SetProperty(j => j.Attempts, j => j.Attempts + 1)
                .SetProperty(j => j.BytesDone, 0)
                .SetProperty(j => j.StartedAt, now)
                .SetProperty(j => j.UpdatedAt, now), ct);
        if (claimed == 1 && candidate.State == ImportState.Running)
        {
            metrics.LeaseTakenOver();
        }

        return claimed == 1 ? await db.ImportJobs.AsNoTracking().FirstAsync(j => j.Id == candidate.Id, ct) : null;
    }

    // The most of a node's slots one account may hold: all but one, so that whatever one account
    // queues (slow sources included) another account's import can always start on this node.
    public static int NodeShare(int nodeSlots) => Math.Max(1, nodeSlots - 1);

    // False when this node no longer holds the job: it was deleted with its image, or taken over. A
    // lease is this node's and this attempt's: when a loaded node let its own lease run out, its
    // worker claims the job again (the next attempt), and the run that lost it must stop at its next
    // write rather than go on beside the new one with staging data of its own that nothing records.
    // (ImportCrashTests and ImportTakeoverTests saw exactly that: a third source request, and a .part
    // the take-over did not know of.)
    public async Task<bool> RenewAsync(ImportJob job, string node, ImportProgress progress, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var lease = now + options.CurrentValue.LeaseDuration;
        var rows = await db.ImportJobs
            .Where(j => j.Id == job.Id && j.LeaseOwner == node && j.Attempts == job.Attempts && j.State == ImportState.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.LeaseExpiresAt, lease)
                .SetProperty(j => j.BytesDone, progress.BytesDone)
                .SetProperty(j => j.BytesTotal, progress.BytesTotal)
                .SetProperty(j => j.StagingKey, progress.StagingKey)
                .SetProperty(j => j.StagedBytes, progress.StagedBytes)
                .SetProperty(j => j.SourceValidator, progress.SourceValidator)
                .SetProperty(j => j.Resumes, progress.Resumes)
                .SetProperty(j => j.UpdatedAt, now), ct);
        return rows == 1;
    }

    // Only the lease, for a step before the copy that writes no progress; false as for RenewAsync.
    public async Task<bool> ExtendLeaseAsync(ImportJob job, string node, CancellationToken ct)
    {
        var lease = time.GetUtcNow().UtcDateTime + options.CurrentValue.LeaseDuration;
        var rows = await db.ImportJobs
            .Where(j => j.Id == job.Id && j.LeaseOwner == node && j.Attempts == job.Attempts && j.State == ImportState.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresAt, lease), ct);
        return rows == 1;
    }

    // Once the source has answered: the bytes this import may write, held against its account's quota.
    public Task<ImportAllowance> ReserveQuotaAsync(ImportJob job, string node, long? announced, CancellationToken ct) =>
        quotas.ReserveAsync(db, job, node, announced, options.CurrentValue.MaxImageBytes, ct);

    // Hashes, size and the active status land in one transaction; false when the image went away.
    public async Task<bool> SucceedAsync(ImportJob job, string node, CopyOutcome outcome, AuditActor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var jobRows = await db.ImportJobs
            .Where(j => j.Id == job.Id && j.LeaseOwner == node && j.Attempts == job.Attempts && j.State == ImportState.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, ImportState.Succeeded)
                .SetProperty(j => j.BytesDone, outcome.Size)
                .SetProperty(j => j.StagingKey, (string?)null)
                .SetProperty(j => j.UpdatedAt, now), ct);
        var imageRows = jobRows == 0 ? 0 : await db.Images
            .Where(i => i.Id == job.ImageId && i.Status == ImageStatus.Importing)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, ImageStatus.Active)
                .SetProperty(i => i.Checksum, outcome.Md5)
                .SetProperty(i => i.OsHashAlgo, "sha512")
                .SetProperty(i => i.OsHashValue, outcome.Sha512)
                .SetProperty(i => i.Size, outcome.Size)
                .SetProperty(i => i.VirtualSize, outcome.VirtualSize)
                .SetProperty(i => i.UpdatedAt, now), ct);
        if (imageRows != 1)
        {
            return false;
        }

        db.AuditEvents.Add(actor.Event(job.ImageId, AuditOutcomes.Succeeded, $"{outcome.Size} bytes", now));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    public Task<bool> ImageExistsAsync(string imageId, CancellationToken ct) => db.Images.AnyAsync(i => i.Id == imageId, ct);

    public async Task FailAsync(ImportJob job, string node, string code, string detail, AuditActor actor, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var imageId = job.ImageId;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var jobRows = await db.ImportJobs
            .Where(j => j.Id == job.Id && j.LeaseOwner == node && j.Attempts == job.Attempts && j.State == ImportState.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, ImportState.Failed)
                .SetProperty(j => j.ErrorCode, code)
                .SetProperty(j => j.ErrorDetail, detail)
                .SetProperty(j => j.StagingKey, (string?)null)
                .SetProperty(j => j.UpdatedAt, now), ct);
        if (jobRows == 1)
        {
            await db.Images.Where(i => i.Id == imageId && i.Status == ImageStatus.Importing)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImageStatus.Killed).SetProperty(i => i.UpdatedAt, now), ct);
            db.AuditEvents.Add(actor.Event(imageId, AuditOutcomes.Failed, code, now));
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    // On a clean shutdown the job goes back to the queue at once instead of waiting out its lease.
    public Task ReleaseAsync(ImportJob job, string node, CancellationToken ct) =>
        db.ImportJobs.Where(j => j.Id == job.Id && j.LeaseOwner == node && j.Attempts == job.Attempts && j.State == ImportState.Running)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.State, ImportState.Queued)
                .SetProperty(j => j.LeaseOwner, (string?)null)
                .SetProperty(j => j.LeaseExpiresAt, (DateTime?)null)
                .SetProperty(j => j.Attempts, j => j.Attempts - 1)
                .SetProperty(j => j.StagingKey, (string?)null), ct);
}
