using System.CommandLine;
using System.Text.Json;
using ImageService.Api.Audit;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Protocol;
using Microsoft.EntityFrameworkCore;

namespace ImageService.Api.Quotas;

// `quotas set|show`: an operator's per-account overrides of Quotas:MaxImagesPerAccount and
// Quotas:MaxBytesPerAccount, and each account's use against its limits (docs/quotas.md).
internal static class QuotasCommand
{
    // The name the audit trail gives `quotas set`.
    public const string SetOperation = "setQuota";

    public static Command Create(IServiceProvider services)
    {
        var quotas = new Command("quotas", "Set and show per-account quotas.");
        quotas.Subcommands.Add(SetQuota(services));
        quotas.Subcommands.Add(ShowQuota(services));
        return quotas;
    }

    private static Command SetQuota(IServiceProvider services)
    {
        var account = new Option<string>("--account") { Description = "The account whose limits change.", Required = true };
        var images = new Option<string?>("--images") { Description = "Most images it may own: a number, unlimited, or default (Quotas:MaxImagesPerAccount)." };
        var bytes = new Option<string?>("--bytes") { Description = "Most bytes it may store: a number with an optional KiB/MiB/GiB/TiB, unlimited, or default." };
        var command = new Command("set", "Override an account's limits; options left out keep their value. Prints the account's quota as JSON.")
        {
            account, images, bytes,
        };
        command.SetAction(async (parse, ct) =>
        {
            var accountId = parse.GetValue(account)!;
            if (!AccountIds.IsValid(accountId))
            {
                await Console.Error.WriteLineAsync("--account must be 1 to 64 of A-Z, a-z, 0-9 and '-'.");
                return 2;
            }

            long? maxImages = null, maxBytes = null;
            if ((parse.GetValue(images) is { } imagesText && !QuotaValue.TryParse(imagesText, sizes: false, out maxImages)) ||
                (parse.GetValue(bytes) is { } bytesText && !QuotaValue.TryParse(bytesText, sizes: true, out maxBytes)))
            {
                await Console.Error.WriteLineAsync("--images takes a whole number, and --bytes a whole number with an optional KiB, MiB, GiB or TiB; either may be unlimited or default.");
                return 2;
            }

            if (parse.GetValue(images) is null && parse.GetValue(bytes) is null)
            {
                await Console.Error.WriteLineAsync("Give --images, --bytes or both.");
                return 2;
            }

            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                await AccountQuotas.LockRowAsync(db, accountId, ct);
                var row = await db.AccountQuotas.FirstAsync(q => q.AccountId == accountId, ct);
                row.MaxImages = parse.GetValue(images) is null ? row.MaxImages : maxImages;
                row.MaxBytes = parse.GetValue(bytes) is null ? row.MaxBytes : maxBytes;
                db.AuditEvents.Add(AuditTrail.ByOperator(accountId, SetOperation, null,
                    $"images={QuotaValue.Describe(row.MaxImages)} bytes={QuotaValue.Describe(row.MaxBytes)}", now));
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }

            await PrintAsync(services, db, accountId, ct);
            return 0;
        });
        return command;
    }

    private static Command ShowQuota(IServiceProvider services)
    {
        var account = new Option<string?>("--account") { Description = "Only this account; without it, every account with a quota row." };
        var command = new Command("show", "Print accounts' limits and use as JSON, one object per line.") { account };
        command.SetAction(async (parse, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
            var accounts = parse.GetValue(account) is { } one
                ? [one]
                : await db.AccountQuotas.AsNoTracking().OrderBy(q => q.AccountId).Select(q => q.AccountId).ToListAsync(ct);
            foreach (var accountId in accounts)
            {
                await PrintAsync(services, db, accountId, ct);
            }

            return 0;
        });
        return command;
    }

    private static async Task PrintAsync(IServiceProvider services, ImageDbContext db, string accountId, CancellationToken ct)
    {
        var use = await services.GetRequiredService<AccountQuotas>().ReadAsync(db, accountId, ct);
        Console.WriteLine(JsonSerializer.Serialize(use.ToResponse(accountId), ScpJson.Options));
    }
}
