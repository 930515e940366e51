namespace ImageService.Api.Imports.Sources;

/// <summary>
/// A <see cref="SourceFailure"/> raised where a value cannot be returned: from a read of the content
/// stream, and from the connect callback, where SocketsHttpHandler wraps it in an HttpRequestException.
/// It is an <see cref="IOException"/> because that is how a stream reports a failed read.
/// </summary>
internal sealed class SourceFailureException(SourceFailure failure, Exception? innerException = null)
    : IOException(failure.Detail, innerException)
{
    public SourceFailure Failure { get; } = failure;
}
