using System.Diagnostics.CodeAnalysis;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// The outcome of opening a source: its content, or why it could not be opened. Dispose it either
/// way; disposing closes the connection.
/// </summary>
internal sealed class SourceResponse : IAsyncDisposable, IDisposable
{
    private readonly HttpResponseMessage? _response;

    private SourceResponse(HttpResponseMessage? response, SourceContentStream? content, long? contentLength, SourceFailure? failure)
    {
        _response = response;
        Content = content;
        ContentLength = contentLength;
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
    public SourceContentStream? Content { get; }

    /// <summary>The length the source announced, if it did; a body that ends short of it fails as source_interrupted.</summary>
    public long? ContentLength { get; }

    public SourceFailure? Failure { get; }

    public static SourceResponse Opened(HttpResponseMessage response, SourceContentStream content, long? contentLength) =>
        new(response, content, contentLength, null);

    public static SourceResponse Failed(SourceFailure failure) => new(null, null, null, failure);

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
