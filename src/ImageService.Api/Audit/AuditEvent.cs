namespace ImageService.Api.Audit;

// One change, recorded in the transaction that made it (docs/audit.md). No foreign key to the
// image: the record of a delete must outlive the image it deleted.
internal sealed class AuditEvent
{
    public long Id { get; init; }

    public required DateTime OccurredAt { get; init; }

    // The account that made the change, and whose trail shows it.
    public required string AccountId { get; init; }

    public string? UserName { get; init; }

    public string? AccessKey { get; init; }

    // The operationId of the request, or a management command's name (createAccessKey, setQuota…).
    public required string Operation { get; init; }

    public string? ImageId { get; init; }

    public required string Outcome { get; init; }

    // What else the change named: a member id, a member status, a quota, an import's error code.
    public string? Detail { get; init; }

    public string? CallerAddress { get; init; }
}
