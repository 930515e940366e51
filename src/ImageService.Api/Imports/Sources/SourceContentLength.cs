using System.Globalization;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// The Content-Length of a source's answer, read from the raw header lines rather than from
/// <c>HttpContentHeaders.ContentLength</c>, which answers null for a value it cannot parse, and so
/// turns "-5" or "5, 6" into "read until the connection closes".
/// </summary>
/// <remarks>
/// RFC 9110 §8.6: Content-Length = 1*DIGIT, and a list of one value repeated may be taken as that
/// value. RFC 9112 §6.3: any other value makes the message's framing invalid, and a client must not
/// use the response.
/// </remarks>
internal static class SourceContentLength
{
    // long.MaxValue has 19 digits; anything longer is no length this service could import anyway.
    private const int MaxDigits = 19;

    /// <summary>False when the header is present but is not one non-negative integer.</summary>
    public static bool TryRead(HttpResponseMessage response, out long? length)
    {
        length = null;
        if (!response.Content.Headers.NonValidated.TryGetValues("Content-Length", out var lines))
        {
            return true;
        }

        foreach (var line in lines)
        {
            foreach (var range in line.AsSpan().Split(','))
            {
                var value = line.AsSpan()[range].Trim(" \t");
                if (value.IsEmpty
                    || value.Length > MaxDigits
                    || value.ContainsAnyExceptInRange('0', '9')
                    || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                    || (length is { } first && first != parsed))
                {
                    length = null;
                    return false;
                }

                length = parsed;
            }
        }

        return length is not null;
    }
}
