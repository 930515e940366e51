using System.Diagnostics.CodeAnalysis;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// The outcome of opening a source: its content, or why it could not be opened. Dispose it either
/// way; disposing closes the connection.
/// </summary>
internal sealed class SourceResponse : IAsyncDisposable, IDisposable
{
    private readonly HttpResponseMessage? _response;

    private readonly SourceReconnects? _reconnects;

    private SourceResponse(
        HttpResponseMessage? response, Stream? content, long? contentLength, bool acceptsRanges, string? validator,
        SourceReconnects? reconnects, SourceFailure? failure)
    {
        _response = response;
        Content = content;
        ContentLength = contentLength;
        AcceptsRanges = acceptsRanges;
        Validator = validator;
        _reconnects = reconnects;
        Failure = failure;
        IsOpen = content is not null;
    }

    [MemberNotNullWhen(true, nameof(Content))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsOpen { get; }

    /// <summary>
    /// The body, read asynchronously. A read that fails throws <see cref="SourceFailureException"/>
    /// with code source_timeout, source_interrupted or source_too_large.
    /// </summary>
    public Stream? Content { get; }

    /// <summary>
    /// The length the source announced, if it did; a body that ends short of it fails as source_interrupted.
    /// For a download resumed after a take-over, the whole object's length, of which Content is the rest.
    /// </summary>
    public long? ContentLength { get; }

    /// <summary>The first answer said Accept-Ranges: bytes.</summary>
    public bool AcceptsRanges { get; }

    /// <summary>What If-Range names to continue this version of the object: a strong ETag, else Last-Modified.</summary>
    public string? Validator { get; }

    /// <summary>How many times the download reconnected and went on where it broke.</summary>
    public int Resumes => _reconnects?.Count ?? 0;

    public SourceFailure? Failure { get; }

    public static SourceResponse Opened(
        HttpResponseMessage response, SourceContentStream content, long? contentLength, bool acceptsRanges, string? validator) =>
        new(response, content, contentLength, acceptsRanges, validator, null, null);

    /// <summary>A download that reconnects by itself: the stream owns its connections.</summary>
    public static SourceResponse Resilient(Stream content, long contentLength, string validator, SourceReconnects reconnects) =>
        new(null, content, contentLength, true, validator, reconnects, null);

    public static SourceResponse Failed(SourceFailure failure) => new(null, null, null, false, null, null, failure);

    public static SourceResponse Failed(string code, string detail) => Failed(new SourceFailure(code, detail));

    public async ValueTask DisposeAsync()
    {
        if (Content is not null)
        {
            await Content.DisposeAsync();
        }

        _response?.Dispose();
    }

    public void Dispose()
    {
        Content?.Dispose();
        _response?.Dispose();
    }
}
