using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ImageService.Api.Audit;
using ImageService.Api.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Authentication;

// Creates, lists and revokes access keys, and answers the signature handler's lookups from a short
// cache of decrypted secrets.
internal sealed class AccessKeyStore(
    IServiceScopeFactory scopes,
    IDataProtectionProvider protection,
    IOptionsMonitor<AccessKeyOptions> options,
    TimeProvider time)
{
    // The names the audit trail gives `keys create` and `keys revoke` (docs/audit.md).
    public const string CreateOperation = "createAccessKey";
    public const string RevokeOperation = "revokeAccessKey";

    private readonly IDataProtector _protector = protection.CreateProtector("ImageService.AccessKeys.v1");
    private readonly ConcurrentDictionary<string, CachedKey> _cache = new(StringComparer.Ordinal);

    public async Task<(AccessKey Key, string Secret)> CreateAsync(string accountId, string accountName, string userName, CancellationToken ct)
    {
        var secret = RandomToken(30);
        var key = new AccessKey
        {
            Id = "AK" + RandomToken(15).ToUpperInvariant().Replace('-', 'X').Replace('_', 'Y'),
            AccountId = accountId,
            AccountName = accountName,
            UserName = userName,
            ProtectedSecret = _protector.Protect(secret),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        db.AccessKeys.Add(key);
        db.AuditEvents.Add(AuditTrail.ByOperator(accountId, CreateOperation, key.Id, userName, key.CreatedAt));
        await db.SaveChangesAsync(ct);
        return (key, secret);
    }

    public async Task<IReadOnlyList<AccessKey>> ListAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        return await db.AccessKeys.AsNoTracking().OrderBy(k => k.AccountId).ThenBy(k => k.CreatedAt).ToListAsync(ct);
    }

    public async Task<bool> RevokeAsync(string accessKey, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var rows = await db.AccessKeys.Where(k => k.Id == accessKey && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), ct);
        if (rows == 1)
        {
            var accountId = await db.AccessKeys.Where(k => k.Id == accessKey).Select(k => k.AccountId).FirstAsync(ct);
            db.AuditEvents.Add(AuditTrail.ByOperator(accountId, RevokeOperation, accessKey, null, now));
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        _cache.TryRemove(accessKey, out _);
        return rows == 1;
    }

    public async ValueTask<CachedKey?> FindActiveAsync(string accessKey, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(accessKey, out var cached) && cached.ExpiresAt > now)
        {
            return cached.Revoked ? null : cached;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        var key = await db.AccessKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == accessKey, ct);
        if (key is null)
        {
            // Unknown keys are not cached: a client cannot fill memory by inventing key ids.
            return null;
        }

        var entry = new CachedKey(
            key.AccountId,
            key.AccountName,
            key.UserName,
            key.RevokedAt is null ? Encoding.UTF8.GetBytes(_protector.Unprotect(key.ProtectedSecret)) : [],
            key.RevokedAt is not null,
            now + options.CurrentValue.CacheDuration);
        _cache[accessKey] = entry;
        return entry.Revoked ? null : entry;
    }

    private static string RandomToken(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    internal sealed record CachedKey(string AccountId, string AccountName, string UserName, byte[] Secret, bool Revoked, DateTimeOffset ExpiresAt);
}
