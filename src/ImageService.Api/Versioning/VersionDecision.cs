namespace ImageService.Api.Versioning;

// What the lifecycle said about one request: the version that answers, or the ones the caller
// could use instead.
internal sealed record VersionDecision(
    bool Served,
    ApiVersion Version,
    DateTimeOffset? Deprecation,
    DateTimeOffset? Sunset,
    IReadOnlyList<ApiVersion> Usable);
