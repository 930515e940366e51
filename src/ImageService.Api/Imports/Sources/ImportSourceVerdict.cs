using System.Diagnostics.CodeAnalysis;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// The answer to "may this URL be imported?": the canonical URL to fetch, or a code and a sentence
/// for the client. The canonical URL is what was checked, so it is the only one that may be fetched.
/// </summary>
internal sealed record ImportSourceVerdict
{
    private ImportSourceVerdict(Uri? url, string? code, string? detail)
    {
        Url = url;
        Code = code;
        Detail = detail;
        IsAllowed = url is not null;
    }

    [MemberNotNullWhen(true, nameof(Url))]
    [MemberNotNullWhen(false, nameof(Code), nameof(Detail))]
    public bool IsAllowed { get; }

    public Uri? Url { get; }

    public string? Code { get; }

    public string? Detail { get; }

    public static ImportSourceVerdict Allow(Uri url) => new(url, null, null);

    public static ImportSourceVerdict Refuse(string code, string detail) => new(null, code, detail);
}
