namespace ImageService.Protocol.Quotas;

/// <summary>The caller's quotas and use, from <c>GET /v1/quota</c> (showQuota, an extension to the SCP surface).</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Images">Images owned against the image limit.</param>
/// <param name="Bytes">Bytes stored and being imported against the byte limit.</param>
public sealed record QuotaResponse(string AccountId, QuotaImages Images, QuotaBytes Bytes);

/// <summary>The image count quota.</summary>
/// <param name="Used">Images the account owns, in any status.</param>
/// <param name="Limit">The most it may own; null is unlimited.</param>
public sealed record QuotaImages(long Used, long? Limit);

/// <summary>The stored bytes quota.</summary>
/// <param name="Used">Stored plus importing.</param>
/// <param name="Stored">The sizes of the account's images.</param>
/// <param name="Importing">Bytes held by the account's running imports.</param>
/// <param name="Limit">The most it may use; null is unlimited.</param>
public sealed record QuotaBytes(long Used, long Stored, long Importing, long? Limit);
