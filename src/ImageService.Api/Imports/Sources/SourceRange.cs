using System.Globalization;
using System.Net.Http.Headers;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// A part of a source's object to ask for again: bytes <see cref="From"/> to <see cref="To"/> (to the
/// end when null) of an object of <see cref="Total"/> bytes, only while it is still the version that
/// <see cref="Validator"/> names (RFC 9110 §13.1.5, If-Range).
/// </summary>
internal readonly record struct SourceRange(long From, long? To, long Total, string Validator)
{
    public long Last => To ?? Total - 1;

    public void AddTo(HttpRequestMessage request)
    {
        request.Headers.Range = new RangeHeaderValue(From, Last);
        request.Headers.TryAddWithoutValidation("If-Range", Validator);
    }

    /// <summary>
    /// True when a 206 answer is exactly the part asked for, of the same object: its Content-Range
    /// continues where the data so far ends, its total is the length seen first, and it carries the
    /// same validator. Anything else would splice two versions of the object into one image.
    /// </summary>
    public bool IsAnsweredBy(HttpResponseMessage response, long? contentLength)
    {
        if (response.Content.Headers.ContentRange is not { Unit: "bytes" } range
            || range.From != From || range.To != Last || range.Length != Total
            || contentLength != Last - From + 1)
        {
            return false;
        }

        return IsEntityTag(Validator)
            ? response.Headers.ETag is { IsWeak: false } tag && tag.Tag == Validator
            : response.Content.Headers.LastModified is { } modified && FormatDate(modified) == Validator;
    }

    /// <summary>
    /// What If-Range may name: a strong ETag (a weak one may not be used for ranges, RFC 9110 §13.1.5),
    /// else the Last-Modified date; null when the response has neither, and cannot be resumed safely.
    /// </summary>
    public static string? ValidatorOf(HttpResponseMessage response) =>
        response.Headers.ETag is { IsWeak: false } tag ? tag.Tag
        : response.Content.Headers.LastModified is { } modified ? FormatDate(modified)
        : null;

    public static bool AcceptsRanges(HttpResponseMessage response) =>
        response.Headers.AcceptRanges.Contains("bytes", StringComparer.OrdinalIgnoreCase);

    private static bool IsEntityTag(string validator) => validator.StartsWith('"');

    private static string FormatDate(DateTimeOffset value) => value.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture);
}
