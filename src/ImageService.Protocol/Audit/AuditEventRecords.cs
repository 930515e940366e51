namespace ImageService.Protocol.Audit;

/// <summary>
/// A page of the caller's audit trail, newest first, from <c>GET /v1/audit-events</c> (listAuditEvents,
/// an extension to the SCP surface). The next page starts after the last event's <see cref="AuditEventResponse.Id"/>.
/// </summary>
/// <param name="AuditEvents">The events.</param>
public sealed record AuditEventListResponse(IReadOnlyList<AuditEventResponse> AuditEvents);

/// <summary>One recorded change.</summary>
/// <param name="Id">The event's id; the marker of the next page.</param>
/// <param name="OccurredAt">RFC 3339 UTC timestamp of the change.</param>
/// <param name="AccountId">The account that made the change.</param>
/// <param name="UserName">The user of the access key that signed the request, or the operator's login for a management command; null for the import worker.</param>
/// <param name="AccessKey">The access key that signed the request (or, for createAccessKey and revokeAccessKey, the key concerned).</param>
/// <param name="Operation">The operationId of the request (createImage, deleteImage…), a management command (createAccessKey, revokeAccessKey, setQuota), or runImport for the end of an import.</param>
/// <param name="ImageId">The image concerned, if any.</param>
/// <param name="Outcome">succeeded, or failed for an import that failed.</param>
/// <param name="Detail">What else the change named: a member id or status, a quota, an import's size or error code.</param>
/// <param name="CallerAddress">The client's address, as the service's trusted-proxy rules resolve it.</param>
public sealed record AuditEventResponse(
    long Id,
    string OccurredAt,
    string AccountId,
    string? UserName,
    string? AccessKey,
    string Operation,
    string? ImageId,
    string Outcome,
    string? Detail,
    string? CallerAddress);
