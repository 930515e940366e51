namespace ImageService.Api.Imports.Sources;

/// <summary>
/// One logical stream over a source's object that survives broken connections: when a read fails in a
/// way the download can go on from (SourceReconnects.IsResumable), it reconnects with
/// <c>Range: bytes=&lt;done&gt;-</c> and If-Range, and the caller's next read simply continues. The
/// caller (ImportCopy, with its hashes and inspector) never sees the break, and no byte is fetched twice.
/// </summary>
internal sealed class ResumingSourceStream(
    SourceResponse first, long position, long total, string validator,
    Func<SourceRange, CancellationToken, Task<SourceResponse>> open, SourceReconnects reconnects) : SourceReadStream
{
    private SourceResponse? _current = first;
    private long _position = position;
    private SourceFailure? _broke;
    private int _inARow;

    public override long Length => total;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_current is null)
            {
                var reopened = await reconnects.OpenAsync(
                    open, new SourceRange(_position, null, total, validator), _broke, _inARow, cancellationToken);
                if (!reopened.IsOpen)
                {
                    throw new SourceFailureException(reopened.Failure);
                }

                _current = reopened;
                _inARow++;
            }

            try
            {
                var read = await _current.Content!.ReadAsync(buffer, cancellationToken);
                if (read == 0 && _position < total && !buffer.IsEmpty)
                {
                    throw new SourceFailureException(new SourceFailure(ImportSourceCodes.SourceInterrupted,
                        "The connection to the source ended before the whole object arrived."));
                }

                _position += read;
                if (read > 0)
                {
                    _inARow = 0;
                }

                return read;
            }
            catch (SourceFailureException e) when (SourceReconnects.IsResumable(e.Failure) && !cancellationToken.IsCancellationRequested)
            {
                await _current.DisposeAsync();
                _current = null;
                _broke = e.Failure;
            }
        }
    }

    /// <summary>
    /// Hands the open connection, whose body goes on from <see cref="Position"/>, to the caller, which
    /// then owns it; null when the last read broke it. The stream is done with after this.
    /// </summary>
    public SourceResponse? Detach()
    {
        var current = _current;
        _current = null;
        return current;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _current = null;
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync();
            _current = null;
        }

        await base.DisposeAsync();
    }
}
