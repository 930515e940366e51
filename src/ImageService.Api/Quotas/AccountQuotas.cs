using ImageService.Api.Data;
using ImageService.Api.Imports;
using ImageService.Api.Observability;
using ImageService.Api.Wire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Quotas;

// Quota checks that hold across nodes (docs/quotas.md). Use is counted from the rows themselves
// (images, their sizes, running imports' reservations), never kept in a counter that could drift,
// and every change a quota limits first locks the account's quota row inside the change's own
// transaction: the next change of that account waits for this one to commit, then counts again.
internal sealed class AccountQuotas(IOptionsMonitor<QuotaOptions> options, QuotaMetrics metrics, TimeProvider time)
{
    // What the account uses, without a lock: for showing, not for deciding.
    public async Task<QuotaUse> ReadAsync(ImageDbContext db, string accountId, CancellationToken ct) =>
        await CountAsync(db, accountId, await FindAsync(db, accountId, ct), null, ct);

    // createImage, inside its transaction: null when one more image fits. An account whose bytes are
    // all used is refused too, since the new image's data could never be stored.
    public async Task<ScpErrorResult?> RefuseNewImageAsync(ImageDbContext db, string accountId, CancellationToken ct)
    {
        if (await LockIfLimitedAsync(db, accountId, null, ct) is not { } use)
        {
            return null;
        }

        return use.ImagesFull ? Refused(QuotaMetrics.Images, QuotaErrors.Images(use))
            : use.BytesFull ? Refused(QuotaMetrics.Bytes, QuotaErrors.Bytes(use))
            : null;
    }

    // importImage, inside its transaction: null when the account has room for data.
    public async Task<ScpErrorResult?> RefuseImportAsync(ImageDbContext db, string accountId, CancellationToken ct) =>
        await LockIfLimitedAsync(db, accountId, null, ct) is { BytesFull: true } use ? Refused(QuotaMetrics.Bytes, QuotaErrors.Bytes(use)) : null;

    // An import that runs into the bytes quota (refused at its start or stopped at the cap) is
    // counted by the import runner, which sees both ways it ends.
    private ScpErrorResult Refused(string limit, ScpErrorResult refusal)
    {
        metrics.Refused(limit);
        return refusal;
    }

    // The import runner, once the source has answered: reserves the bytes the import may write and
    // says how many that is. Refused when the announced length, or any byte at all, does not fit.
    public async Task<ImportAllowance> ReserveAsync(ImageDbContext db, ImportJob job, string node, long? announced, long maxImageBytes, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var use = await LockIfLimitedAsync(db, job.AccountId, job.Id, ct);
        var left = use?.BytesLeft ?? long.MaxValue;
        if (use is not null && (announced > left || left == 0))
        {
            return ImportAllowance.Refused(QuotaErrors.BytesDetail(use, announced));
        }

        var cap = Math.Min(maxImageBytes, left);
        var reserved = announced ?? (use is null ? 0 : cap);
        await db.ImportJobs.Where(j => j.Id == job.Id && j.LeaseOwner == node && j.Attempts == job.Attempts && j.State == ImportState.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.ReservedBytes, reserved), ct);
        await transaction.CommitAsync(ct);
        return ImportAllowance.Granted(cap, use is not null && cap < maxImageBytes ? use : null);
    }

    // Null when neither the account's row nor the defaults set a limit: then nothing is locked, and
    // the default (unlimited) costs one key lookup. A limit set meanwhile applies from the next change.
    private async Task<QuotaUse?> LockIfLimitedAsync(ImageDbContext db, string accountId, long? excludedJob, CancellationToken ct)
    {
        var defaults = options.CurrentValue;
        var row = await FindAsync(db, accountId, ct);
        if (defaults.MaxImagesPerAccount is null && defaults.MaxBytesPerAccount is null && row is not { MaxImages: not null } and not { MaxBytes: not null })
        {
            return null;
        }

        await LockRowAsync(db, accountId, ct);
        return await CountAsync(db, accountId, await FindAsync(db, accountId, ct), excludedJob, ct);
    }

    // Inside a transaction: makes the account's row if it is missing and, either way, writes it.
    // PostgreSQL then holds the row's lock to the end of the transaction; SQLite's transaction holds
    // the database's write lock from its start (Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE).
    // The same SQL runs on both.
    public static Task LockRowAsync(ImageDbContext db, string accountId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync(
            $"""INSERT INTO account_quotas ("AccountId") VALUES ({accountId}) ON CONFLICT ("AccountId") DO UPDATE SET "AccountId" = excluded."AccountId" """,
            ct);

    private static Task<AccountQuota?> FindAsync(ImageDbContext db, string accountId, CancellationToken ct) =>
        db.AccountQuotas.AsNoTracking().FirstOrDefaultAsync(q => q.AccountId == accountId, ct);

    private async Task<QuotaUse> CountAsync(ImageDbContext db, string accountId, AccountQuota? row, long? excludedJob, CancellationToken ct)
    {
        var defaults = options.CurrentValue;
        var now = time.GetUtcNow().UtcDateTime;
        var owned = db.Images.Where(i => i.OwnerId == accountId);
        var images = await owned.LongCountAsync(ct);
        var stored = await owned.SumAsync(i => i.Size, ct);

        // A job whose node died holds nothing once its lease has run out; the node that takes it over reserves again.
        var importing = await db.ImportJobs
            .Where(j => j.AccountId == accountId && j.State == ImportState.Running && j.LeaseExpiresAt >= now && j.Id != excludedJob)
            .SumAsync(j => j.ReservedBytes, ct);
        return new QuotaUse(
            QuotaValue.Effective(row?.MaxImages ?? defaults.MaxImagesPerAccount),
            QuotaValue.Effective(row?.MaxBytes ?? defaults.MaxBytesPerAccount),
            images,
            stored,
            importing);
    }
}
