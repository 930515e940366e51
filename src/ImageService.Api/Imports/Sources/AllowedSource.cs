using System.Diagnostics.CodeAnalysis;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// One entry of <c>Import:AllowedSources</c>: a scheme, a host, a port and a path prefix that import
/// URLs must all match.
/// </summary>
internal sealed class AllowedSource
{
    private readonly SourceUrl _prefix;

    private AllowedSource(SourceUrl prefix) => _prefix = prefix;

    /// <summary>The host exactly as the operator listed it, in canonical form.</summary>
    public string Host => _prefix.Host;

    public static bool TryParse(
        string entry,
        [NotNullWhen(true)] out AllowedSource? source,
        [NotNullWhen(false)] out string? error)
    {
        source = null;
        if (!SourceUrl.TryParse(entry, out var prefix, out var refusal))
        {
            error = refusal.Detail ?? "Give an absolute http or https URL.";
            return false;
        }

        if (prefix.Query is not null)
        {
            error = "Remove the query: an allowed source is a scheme, a host, an optional port and an optional path prefix.";
            return false;
        }

        source = new AllowedSource(prefix);
        error = null;
        return true;
    }

    /// <summary>
    /// Whether the URL lies under this source. Both sides are canonical, so scheme and host compare as
    /// lower-case strings, ports as numbers with defaults filled in, and paths as decoded, dot-free
    /// strings. Paths are case-sensitive (RFC 3986 §6.2.2.1; S3 keys are too).
    /// </summary>
    public bool Contains(SourceUrl url)
    {
        if (url.Scheme != _prefix.Scheme || url.Host != _prefix.Host || url.Port != _prefix.Port)
        {
            return false;
        }

        // A prefix matches on a segment boundary: "/bucket" and "/bucket/" take "/bucket/x.qcow2"
        // but never "/bucket2/x.qcow2".
        var prefixPath = _prefix.Path;
        return prefixPath.EndsWith('/')
            ? url.Path.StartsWith(prefixPath, StringComparison.Ordinal)
            : url.Path == prefixPath || url.Path.StartsWith(prefixPath + "/", StringComparison.Ordinal);
    }
}
