using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using static ImageService.Api.Imports.Sources.ImportSourceCodes;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// The host of an import URL, read strictly from its raw text and written in one canonical form: a
/// lower-case DNS name, a dotted-quad IPv4 address, or an RFC 5952 IPv6 address without brackets.
/// </summary>
internal static class SourceHost
{
    private static readonly SearchValues<char> HostNameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private static readonly SearchValues<char> IPv6LiteralCharacters = SearchValues.Create("0123456789abcdefABCDEF:.");

    /// <summary>Parses the host of a URL's authority, without its port; null means it is canonical.</summary>
    public static ImportSourceVerdict? Parse(ReadOnlySpan<char> text, out string host)
    {
        host = "";
        if (text[0] == '[')
        {
            // RFC 3986 §3.2.2: an IP-literal. Zone identifiers (RFC 6874, "%25eth0") and IPvFuture
            // ("v1.x") name nothing an object store needs, and IPAddress would accept forms RFC 3986 does not.
            var inner = text[1..^1];
            if (inner.IsEmpty
                || inner.ContainsAnyExcept(IPv6LiteralCharacters)
                || !IPAddress.TryParse(inner, out var address)
                || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return ImportSourceVerdict.Refuse(UrlHostNotCanonical,
                    "Write an IPv6 host as hexadecimal groups in brackets, such as [2001:db8::1], without a zone index.");
            }

            host = CanonicalAddress(address);
            return null;
        }

        if (text.Contains('%'))
        {
            return ImportSourceVerdict.Refuse(UrlHostNotCanonical, "Write the host without percent-encoding.");
        }

        // "host." and "host" are the same DNS name but different strings; refusing the trailing dot keeps
        // one spelling per host, so allow-list entries and TLS names compare as written.
        if (text[^1] == '.')
        {
            return ImportSourceVerdict.Refuse(UrlHostNotCanonical, "Remove the trailing dot from the host.");
        }

        // WHATWG URL §3.5 parses any host whose last label is a number as an IPv4 address, in decimal,
        // octal or hexadecimal, with 1 to 4 parts. Only the canonical dotted quad is accepted, so that
        // every parser on the way agrees which address the URL names.
        if (EndsInNumber(text[(text.LastIndexOf('.') + 1)..]))
        {
            if (!IsCanonicalIPv4(text))
            {
                return ImportSourceVerdict.Refuse(UrlHostNotCanonical,
                    "Write an IPv4 host as four decimal numbers without leading zeros, such as 192.0.2.10; "
                    + "integer, octal, hexadecimal and shortened forms are refused.");
            }

            host = text.ToString();
            return null;
        }

        if (!IsHostName(text))
        {
            return ImportSourceVerdict.Refuse(UrlHostNotCanonical,
                "Give a host name of letters, digits, hyphens and dots (RFC 1123), in punycode if it is international.");
        }

        host = text.ToString().ToLowerInvariant();
        return null;
    }

    /// <summary>
    /// The canonical form of a host as SocketsHttpHandler hands it to the connect callback ("[::1]",
    /// "LocalHost"), so that it compares equal to the hosts of allowed sources.
    /// </summary>
    public static string Normalise(string host)
    {
        var bare = StripBrackets(host);
        return bare.Contains(':', StringComparison.Ordinal)
            && IPAddress.TryParse(bare, out var address)
            && address.AddressFamily == AddressFamily.InterNetworkV6
                ? CanonicalAddress(address)
                : bare.ToLowerInvariant();
    }

    /// <summary>The address a host names without DNS: a dotted quad or an IPv6 literal.</summary>
    public static bool TryGetAddress(string host, [NotNullWhen(true)] out IPAddress? address)
    {
        var bare = StripBrackets(host);
        address = null;
        return (bare.Contains(':', StringComparison.Ordinal) || IsCanonicalIPv4(bare))
            && IPAddress.TryParse(bare, out address);
    }

    private static string StripBrackets(string host) =>
        host.Length > 1 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;

    private static bool EndsInNumber(ReadOnlySpan<char> label) =>
        !label.IsEmpty
        && (!label.ContainsAnyExceptInRange('0', '9')
            || (label.Length >= 2 && label[0] == '0' && label[1] is 'x' or 'X'
                && !label[2..].ContainsAnyExcept(HexDigits)));

    private static bool IsCanonicalIPv4(ReadOnlySpan<char> text)
    {
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (++parts > 4
                || part.Length is < 1 or > 3
                || part.ContainsAnyExceptInRange('0', '9')
                || (part.Length > 1 && part[0] == '0')
                || int.Parse(part, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }

        return parts == 4;
    }

    // RFC 1123 §2.1 host names: labels of 1 to 63 letters, digits and hyphens, not starting or ending
    // with a hyphen, at most 253 characters in all.
    private static bool IsHostName(ReadOnlySpan<char> text)
    {
        if (text.Length > 253)
        {
            return false;
        }

        foreach (var range in text.Split('.'))
        {
            var label = text[range];
            if (label.Length is < 1 or > 63
                || label[0] == '-'
                || label[^1] == '-'
                || label.ContainsAnyExcept(HostNameCharacters))
            {
                return false;
            }
        }

        return true;
    }

    // An IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2) reaches the IPv4 host it maps to, so it is that
    // host: "[::ffff:127.0.0.1]" is checked, listed and fetched as 127.0.0.1.
    private static string CanonicalAddress(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString();
}
