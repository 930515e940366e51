using ImageService.Api.Imports;
using ImageService.Api.Imports.Sources;

namespace ImageService.Api.Uploads;

// The request body of an upload, read by the import's one pass as it reads a source. A client that
// goes away mid-body (Kestrel: a reset connection, or a body that ends short of its Content-Length,
// both IOExceptions; the test server: a cancelled read) fails the read the way a broken source does,
// so the pass stops, the store's upload deletes what it wrote, and the image ends killed with a code
// that says what happened.
internal sealed class UploadBodyStream(Stream body) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when ((e is IOException or OperationCanceledException) && !cancellationToken.IsCancellationRequested)
        {
            throw new SourceFailureException(new SourceFailure(ImportErrorCodes.UploadInterrupted,
                "The connection broke before the whole image arrived; nothing was kept. Upload it again."), e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
