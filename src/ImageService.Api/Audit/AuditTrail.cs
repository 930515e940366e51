using System.Runtime.CompilerServices;
using ImageService.Api.Authentication;
using ImageService.Api.Data;

namespace ImageService.Api.Audit;

// How a change records itself (docs/audit.md): one short call in the handler that makes it, so the
// event and the change commit together or not at all. The operation is the handler's name, which is
// its operationId in PascalCase (house style: the route name, the handler and the operationId are one
// name): so the web console, which calls the same handlers from its pages, records the same operation.
// The caller's address is the one the trusted-proxy rules left on the connection.
internal static class AuditTrail
{
    // The worker's events are named for the part of createImage and importImage that runs after the answer.
    public const string ImportOperation = "runImport";

    // For a change saved by SaveChanges: the event joins the same save, or the handler's transaction.
    public static void Audit(
        this ImageDbContext db, HttpContext http, string? imageId, string? detail = null, [CallerMemberName] string handler = "") =>
        db.AuditEvents.Add(FromRequest(http, imageId, detail, handler));

    // For a set-based change (ExecuteUpdate, ExecuteDelete): runs it and records the event in one
    // transaction (the handler's, when it has begun one), and only when it changed a row.
    public static async Task<int> AuditedAsync(
        this ImageDbContext db, HttpContext http, string? imageId, Func<Task<int>> change, CancellationToken ct, string? detail = null,
        [CallerMemberName] string handler = "")
    {
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var rows = await change();
        if (rows > 0)
        {
            db.Audit(http, imageId, detail, handler);
            await db.SaveChangesAsync(ct);
        }

        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }

        return rows;
    }

    // A management command run on the service's host: the operator's OS user stands for the user,
    // and there is no access key or address.
    public static AuditEvent ByOperator(string accountId, string operation, string? accessKey, string? detail, DateTime now) => new()
    {
        OccurredAt = now,
        AccountId = accountId,
        UserName = Environment.UserName,
        AccessKey = accessKey,
        Operation = operation,
        Outcome = AuditOutcomes.Succeeded,
        Detail = detail,
    };

    // The import worker finishing a job a request queued: the account's, with no user behind it.
    public static AuditActor Worker(string accountId) => new(accountId, null, null, ImportOperation, null);

    // The caller of the running request, for a change its handler finishes after the work it waits on.
    public static AuditActor Caller(HttpContext http, [CallerMemberName] string handler = "")
    {
        var caller = http.User;
        return new AuditActor(caller.GetAccountId(), caller.GetUserName(), caller.FindFirst(ScpClaims.AccessKey)?.Value,
            OperationOf(handler), http.Connection.RemoteIpAddress?.ToString());
    }

    private static AuditEvent FromRequest(HttpContext http, string? imageId, string? detail, string handler)
    {
        var caller = http.User;

        // Each handler would otherwise take the clock as one more parameter only to pass it here.
        var time = http.RequestServices.GetRequiredService<TimeProvider>();
        return new AuditEvent
        {
            OccurredAt = time.GetUtcNow().UtcDateTime,
            AccountId = caller.GetAccountId(),
            UserName = caller.GetUserName(),
            AccessKey = caller.FindFirst(ScpClaims.AccessKey)?.Value,
            Operation = OperationOf(handler),
            ImageId = imageId,
            Outcome = AuditOutcomes.Succeeded,
            Detail = detail,
            CallerAddress = http.Connection.RemoteIpAddress?.ToString(),
        };
    }

    private static string OperationOf(string handler) => string.Concat(handler[..1].ToLowerInvariant(), handler[1..]);
}
