namespace ImageService.Api.Authentication;

internal sealed class AccessKey
{
    public required string Id { get; init; }

    public required string AccountId { get; init; }

    public required string AccountName { get; init; }

    public required string UserName { get; init; }

    // The secret, encrypted with Data Protection: HMAC needs the secret itself, so a hash would not
    // do, and a copy of the database alone must not yield usable keys.
    public required string ProtectedSecret { get; init; }

    public required DateTime CreatedAt { get; init; }

    public DateTime? RevokedAt { get; set; }
}
