namespace ImageService.Api.Audit;

// Who answers in the trail for a change that ends later than the request that began it: the worker
// for an import from a URL (no user behind it), the caller for an upload, whose request is still
// open when the image becomes active or killed.
internal sealed record AuditActor(string AccountId, string? UserName, string? AccessKey, string Operation, string? CallerAddress)
{
    public AuditEvent Event(string imageId, string outcome, string? detail, DateTime now) => new()
    {
        OccurredAt = now,
        AccountId = AccountId,
        UserName = UserName,
        AccessKey = AccessKey,
        Operation = Operation,
        ImageId = imageId,
        Outcome = outcome,
        Detail = detail,
        CallerAddress = CallerAddress,
    };
}
