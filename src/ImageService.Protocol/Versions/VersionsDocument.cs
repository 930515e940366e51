namespace ImageService.Protocol.Versions;

/// <summary>The unauthenticated <c>GET /</c> answer the SCP SDK checks before every call.</summary>
/// <param name="Versions">One entry per version the service still answers.</param>
public sealed record VersionsDocument(IReadOnlyList<VersionEntry> Versions);

/// <summary>One version.</summary>
/// <param name="Id"><c>vX.Y</c>.</param>
/// <param name="Links">A self link.</param>
/// <param name="NotBefore"><c>""</c> or <c>YYYY-MM-DD</c>: the day the version stops being served.</param>
/// <param name="Status">CURRENT, SUPPORTED or DEPRECATED.</param>
public sealed record VersionEntry(string Id, IReadOnlyList<VersionLink> Links, string NotBefore, string Status);

/// <summary>A link.</summary>
/// <param name="Href">The endpoint.</param>
/// <param name="Rel"><c>self</c>.</param>
public sealed record VersionLink(string Href, string Rel);
