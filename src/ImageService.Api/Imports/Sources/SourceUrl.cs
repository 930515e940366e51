using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using static ImageService.Api.Imports.Sources.ImportSourceCodes;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// An http(s) URL parsed strictly from its raw text, in one canonical form.
/// </summary>
/// <remarks>
/// <see cref="Uri"/> alone cannot be trusted here: it silently turns <c>http://0x7f000001/</c>,
/// <c>http://2130706433/</c>, <c>http://0177.0.0.1/</c> and <c>http://127.1/</c> into 127.0.0.1,
/// trims spaces, and decodes <c>%2e%2e</c> as a dot-segment. Each of those lets a URL mean one thing to
/// the check and another to whatever connects (the SSRF class behind Glance OSSA-2026-004 /
/// CVE-2026-34881), so the authority and path are read from the raw string by RFC 3986 rules
/// (host: <see cref="SourceHost"/>, path: <see cref="SourcePath"/>), anything ambiguous is refused,
/// and the result is rebuilt in canonical form. That form is then parsed by <see cref="Uri"/>, and a
/// URL whose <see cref="Uri.AbsoluteUri"/> differs from it is refused too: the URL that is checked is
/// exactly the URL that is fetched.
/// </remarks>
internal sealed class SourceUrl
{
    private static readonly SearchValues<char> SchemeCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

    private SourceUrl(Uri uri, string scheme, string host, int port, string path, string? query)
    {
        Uri = uri;
        Scheme = scheme;
        Host = host;
        Port = port;
        Path = path;
        Query = query;
    }

    public Uri Uri { get; }

    /// <summary>"http" or "https".</summary>
    public string Scheme { get; }

    /// <summary>A lower-case DNS name, a dotted-quad IPv4 address, or an RFC 5952 IPv6 address without brackets.</summary>
    public string Host { get; }

    /// <summary>The effective port: the scheme's default when the URL gives none.</summary>
    public int Port { get; }

    /// <summary>The path without dot-segments, with unreserved characters decoded (RFC 3986 §6.2.2).</summary>
    public string Path { get; }

    /// <summary>The query without its '?', or null when the URL has none.</summary>
    public string? Query { get; }

    public static bool TryParse(
        string text,
        [NotNullWhen(true)] out SourceUrl? url,
        [NotNullWhen(false)] out ImportSourceVerdict? refusal)
    {
        refusal = Parse(text, out url);
        if (url is null)
        {
            refusal ??= Refuse(UrlMalformed, "Give a well-formed absolute URL.");
            return false;
        }

        return true;
    }

    private static ImportSourceVerdict? Parse(string text, out SourceUrl? url)
    {
        url = null;
        if (text.Length == 0)
        {
            return Refuse(UrlNotAbsolute, "Give an absolute URL that starts with https:// or http://.");
        }

        // WHATWG parsers strip tabs and newlines anywhere and spaces at the ends, and treat '\' as '/';
        // RFC 3986 allows none of these, so refusing them removes every place two parsers could disagree.
        foreach (var c in text)
        {
            if (c <= ' ' || c >= '\u007f')
            {
                return Refuse(UrlMalformed,
                    "Percent-encode spaces, control and non-ASCII characters in the URL (RFC 3986 §2.1); "
                    + "international host names must be given in punycode.");
            }

            if (c == '\\')
            {
                return Refuse(UrlMalformed,
                    "Write '/' instead of '\\' in the URL: RFC 3986 has no backslash, and parsers disagree about it.");
            }
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !IsScheme(text.AsSpan(0, colon)))
        {
            return Refuse(UrlNotAbsolute, "Give an absolute URL that starts with https:// or http://.");
        }

        var scheme = text[..colon].ToLowerInvariant();
        if (scheme is not ("http" or "https"))
        {
            return Refuse(UrlSchemeNotAllowed, "Give an https:// or http:// URL; other schemes are not imported.");
        }

        if (!text.AsSpan(colon + 1).StartsWith("//", StringComparison.Ordinal))
        {
            return Refuse(UrlNotAbsolute, "Write the URL as scheme://host/path, with two slashes after the scheme.");
        }

        var rest = text.AsSpan(colon + 3);
        var authorityEnd = rest.IndexOfAny('/', '?', '#');
        var authority = authorityEnd < 0 ? rest : rest[..authorityEnd];
        var tail = authorityEnd < 0 ? [] : rest[authorityEnd..];

        // RFC 9110 §4.2.4 deprecates user info in http(s) URLs, and "https://good.example@evil.example/"
        // is the oldest way to make a URL look like it points somewhere it does not.
        if (authority.Contains('@'))
        {
            return Refuse(UrlHasUserInfo,
                "Remove the user name and password from the URL (RFC 9110 §4.2.4); "
                + "use a presigned or public object URL instead.");
        }

        if (SplitAuthority(authority, scheme, out var hostText, out var port) is { } authorityRefusal)
        {
            return authorityRefusal;
        }

        if (SourceHost.Parse(hostText, out var host) is { } hostRefusal)
        {
            return hostRefusal;
        }

        if (tail.Contains('#'))
        {
            return Refuse(UrlHasFragment, "Remove the #fragment from the URL; it is never sent to the source.");
        }

        var queryStart = tail.IndexOf('?');
        var rawPath = queryStart < 0 ? tail : tail[..queryStart];
        if (SourcePath.NormalisePath(rawPath, out var path) is { } pathRefusal)
        {
            return pathRefusal;
        }

        string? query = null;
        if (queryStart >= 0 && SourcePath.NormaliseQuery(tail[(queryStart + 1)..], out query) is { } queryRefusal)
        {
            return queryRefusal;
        }

        var isDefaultPort = port == DefaultPort(scheme);
        var canonical = string.Concat(
            scheme,
            "://",
            host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host,
            isDefaultPort ? "" : ":" + port.ToString(CultureInfo.InvariantCulture),
            path,
            query is null ? "" : "?" + query);
        if (!Uri.TryCreate(canonical, UriKind.Absolute, out var uri) || uri.AbsoluteUri != canonical)
        {
            return Refuse(UrlMalformed, "Percent-encode the special characters in the URL so that it has one meaning.");
        }

        url = new SourceUrl(uri, scheme, host, port, path, query);
        return null;
    }

    private static ImportSourceVerdict? SplitAuthority(
        ReadOnlySpan<char> authority, string scheme, out ReadOnlySpan<char> host, out int port)
    {
        port = DefaultPort(scheme);
        ReadOnlySpan<char> portText;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0)
            {
                host = default;
                return Refuse(UrlHostNotCanonical, "Close the IPv6 address in the URL with ']'.");
            }

            host = authority[..(close + 1)];
            portText = authority[(close + 1)..];
            if (!portText.IsEmpty && portText[0] != ':')
            {
                return Refuse(UrlMalformed, "Put only ':' and a port after an IPv6 address in brackets.");
            }
        }
        else
        {
            var colon = authority.IndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? [] : authority[colon..];
        }

        if (host.IsEmpty)
        {
            return Refuse(UrlNotAbsolute, "Give the URL a host.");
        }

        if (portText.IsEmpty)
        {
            return null;
        }

        // An empty port ("host:") is legal in RFC 3986 but means the default; refusing it keeps one
        // spelling per URL. Leading zeros are harmless because the canonical form drops them.
        var digits = portText[1..];
        return digits.Length is >= 1 and <= 5
            && !digits.ContainsAnyExceptInRange('0', '9')
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is >= 1 and <= 65535
                ? null
                : Refuse(UrlMalformed, "Give the port as a number from 1 to 65535, or leave it out.");
    }

    private static bool IsScheme(ReadOnlySpan<char> text) =>
        char.IsAsciiLetter(text[0]) && !text.ContainsAnyExcept(SchemeCharacters);

    private static int DefaultPort(string scheme) => scheme == "https" ? 443 : 80;

    private static ImportSourceVerdict Refuse(string code, string detail) => ImportSourceVerdict.Refuse(code, detail);
}
