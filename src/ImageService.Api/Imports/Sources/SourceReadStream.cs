namespace ImageService.Api.Imports.Sources;

/// <summary>
/// What every stream over a source's bytes has in common: read forwards, asynchronously only. A
/// synchronous read cannot be cancelled, so it could wait on a stalled source for ever
/// (SourceContentStream's idle timeout needs the token); the rest of Stream's surface is refused.
/// </summary>
internal abstract class SourceReadStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("Read the source asynchronously, so that the idle timeout can apply.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
