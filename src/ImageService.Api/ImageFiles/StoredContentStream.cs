using ImageService.Api.Storage;

namespace ImageService.Api.ImageFiles;

// The stored bytes of an image in a store without local files (S3), as a seekable stream, so that
// the framework's own file result does the HTTP work: conditional requests, If-Range, a single
// Range or 416, HEAD, and 200 with the whole body for several ranges (RFC 9110 §14.2 allows it).
// The framework seeks to a range's start and reads its length; nothing is fetched until the first
// read, and that read asks the store for exactly the requested range when the hint names it, so a
// HEAD costs no GET, and a 1 MiB range costs a 1 MiB GET, not the rest of a 10 GiB object.
internal sealed class StoredContentStream(StoredImageContent content, (long Start, long End)? rangeHint) : Stream
{
    private Stream? _open;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => content.Length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => content.Length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != _position)
        {
            _open?.Dispose();
            _open = null;
            _position = target;
        }

        return _position;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_position < content.Length && !buffer.IsEmpty)
        {
            var fresh = _open is null;
            _open ??= await content.OpenRangeAsync(_position, RangeLengthFrom(_position), cancellationToken);
            var read = await _open.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                _position += read;
                return read;
            }

            await _open.DisposeAsync();
            _open = null;
            if (fresh)
            {
                throw new IOException("The stored object is shorter than its recorded length.");
            }

            // The hinted range is done, yet the caller reads on: fetch the rest.
        }

        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _open?.Dispose();
            _open = null;
        }

        base.Dispose(disposing);
    }

    // Only a read that starts where the hinted range starts is limited to it.
    private long? RangeLengthFrom(long position) =>
        rangeHint is { } hint && hint.Start == position ? hint.End - hint.Start + 1 : null;
}
