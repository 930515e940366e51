using System.Globalization;
using System.Text;
using static ImageService.Api.Imports.Sources.ImportSourceCodes;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// The path and query of an import URL in RFC 3986 §6.2.2 normal form: percent-encoded unreserved
/// characters decoded, other escapes in upper case, and the path without dot-segments.
/// </summary>
internal static class SourcePath
{
    private const string UnreservedPunctuation = "-._~";
    private const string SubDelimiters = "!$&'()*+,;=";
    private const string Qcow2Suffix = ".qcow2";

    /// <summary>
    /// Whether a normalised path names a .qcow2 file: its last segment is a name followed by ".qcow2"
    /// (the spec's pattern for url is <c>.*\.qcow2$</c>). The one place that rule is written.
    /// </summary>
    public static bool NamesQcow2File(string path)
    {
        var name = path.AsSpan(path.LastIndexOf('/') + 1);
        return name.Length > Qcow2Suffix.Length && name.EndsWith(Qcow2Suffix, StringComparison.Ordinal);
    }

    /// <summary>Normalises a raw path (empty, or starting with '/'); null means it is acceptable.</summary>
    public static ImportSourceVerdict? NormalisePath(ReadOnlySpan<char> raw, out string path)
    {
        path = "/";
        if (raw.IsEmpty)
        {
            return null;
        }

        if (NormaliseComponent(raw, isQuery: false, out var decoded) is { } refusal)
        {
            return refusal;
        }

        // RFC 3986 §5.2.4, after decoding "%2e" (§6.2.2.2): "/bucket/%2e%2e/other" is "/other" to the
        // source, so it is "/other" to the allow-list too, and "/other" is what is sent.
        var input = decoded.Split('/');
        var output = new List<string>(input.Length);
        for (var i = 1; i < input.Length; i++)
        {
            switch (input[i])
            {
                case ".":
                    break;
                case "..":
                    if (output.Count > 0)
                    {
                        output.RemoveAt(output.Count - 1);
                    }

                    break;
                default:
                    output.Add(input[i]);
                    continue;
            }

            // A final "." or ".." leaves the path ending in '/'.
            if (i == input.Length - 1)
            {
                output.Add("");
            }
        }

        path = "/" + string.Join('/', output);
        return null;
    }

    /// <summary>Normalises a raw query, without its '?'; null means it is acceptable.</summary>
    public static ImportSourceVerdict? NormaliseQuery(ReadOnlySpan<char> raw, out string query) =>
        NormaliseComponent(raw, isQuery: true, out query);

    private static ImportSourceVerdict? NormaliseComponent(ReadOnlySpan<char> raw, bool isQuery, out string result)
    {
        var builder = new StringBuilder(raw.Length);
        result = "";
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c != '%')
            {
                if (!IsPathCharacter(c) && !(isQuery && c == '?'))
                {
                    return ImportSourceVerdict.Refuse(UrlMalformed, $"Percent-encode the character '{c}' in the URL (RFC 3986 §3.3).");
                }

                builder.Append(c);
                continue;
            }

            if (i + 2 >= raw.Length || !char.IsAsciiHexDigit(raw[i + 1]) || !char.IsAsciiHexDigit(raw[i + 2]))
            {
                return ImportSourceVerdict.Refuse(UrlMalformed, "Follow every '%' in the URL with two hexadecimal digits (RFC 3986 §2.1).");
            }

            var value = (char)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
            i += 2;

            // An encoded '/' or '\' is one segment to this check and two to a server that decodes before
            // routing, which is how "/bucket/..%2f..%2fother" escapes a path prefix. The query may carry
            // them, for instance in a presigned URL's X-Amz-Credential.
            if (!isQuery && value is '/' or '\\' or '\0')
            {
                return ImportSourceVerdict.Refuse(UrlPathAmbiguous,
                    "Do not percent-encode '/', '\\' or NUL in the URL's path (%2F, %5C, %00): servers disagree about them.");
            }

            if (char.IsAsciiLetterOrDigit(value) || UnreservedPunctuation.Contains(value, StringComparison.Ordinal))
            {
                builder.Append(value);
            }
            else
            {
                builder.Append('%').Append(((int)value).ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        result = builder.ToString();
        return null;
    }

    // RFC 3986 §3.3 pchar, plus '/' between segments.
    private static bool IsPathCharacter(char c) =>
        char.IsAsciiLetterOrDigit(c)
        || UnreservedPunctuation.Contains(c, StringComparison.Ordinal)
        || SubDelimiters.Contains(c, StringComparison.Ordinal)
        || c is ':' or '@' or '/';

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
