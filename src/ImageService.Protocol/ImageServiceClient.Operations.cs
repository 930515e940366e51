using System.Globalization;
using ImageService.Protocol.Audit;
using ImageService.Protocol.Quotas;

namespace ImageService.Protocol;

public sealed partial class ImageServiceClient
{
    /// <summary>listAuditEvents (an extension): one page of the caller's audit trail, newest first.</summary>
    /// <param name="imageId">Only events of this image; null for all.</param>
    /// <param name="since">Only events at or after this time.</param>
    /// <param name="until">Only events before this time.</param>
    /// <param name="limit">Events per page; null for the service's default.</param>
    /// <param name="marker">The id of the last event of the previous page.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ScpResponse<AuditEventListResponse>> ListAuditEventsAsync(
        string? imageId = null, DateTimeOffset? since = null, DateTimeOffset? until = null, int? limit = null, long? marker = null,
        CancellationToken cancellationToken = default)
    {
        var query = Query(
            ("image_id", imageId),
            ("since", since is { } s ? ScpJson.FormatTimestamp(s) : null),
            ("until", until is { } u ? ScpJson.FormatTimestamp(u) : null),
            ("limit", Number(limit)),
            ("marker", marker?.ToString(CultureInfo.InvariantCulture)));
        return SendAsync<AuditEventListResponse>(Request(HttpMethod.Get, "v1/audit-events" + query), cancellationToken);
    }

    /// <summary>showQuota (an extension): the caller's limits and what it uses.</summary>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ScpResponse<QuotaResponse>> ShowQuotaAsync(CancellationToken cancellationToken = default) =>
        SendAsync<QuotaResponse>(Request(HttpMethod.Get, "v1/quota"), cancellationToken);
}
