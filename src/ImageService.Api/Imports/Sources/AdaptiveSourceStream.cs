namespace ImageService.Api.Imports.Sources;

/// <summary>
/// A large object read over one connection for as long as that connection keeps up, and over several
/// (ParallelRangeStream) from the moment it does not. More connections only help when the source is
/// what the import waits for: a store that caps each connection. From a source that sends as fast as
/// the hashes read, extra connections only cost CPU that the hashes need, and on the two-core
/// benchmark machine they made a 1 GiB import from an uncapped loopback source 1.3 times slower
/// (docs/imports.md#parallel-download). So the reads are timed: after every
/// <c>Import:ParallelProbeBytes</c>, if the reader spent at least half of that stretch waiting for
/// the source, the rest of the object (when still at least ParallelThresholdBytes) is fetched in
/// parallel, the open connection serving the first range.
/// </summary>
internal sealed class AdaptiveSourceStream(
    ResumingSourceStream single, long total, long probeBytes, long thresholdBytes,
    Func<SourceResponse, long, ParallelRangeStream> parallel, TimeProvider time) : SourceReadStream
{
    // The share of a stretch's time spent waiting on the source above which it is the bottleneck.
    internal const double SourceBoundShare = 0.5;

    private ParallelRangeStream? _parallel;
    private long _stretchBytes;
    private long _stretchStarted = time.GetTimestamp();
    private TimeSpan _stretchWaited;

    public override long Length => total;

    public override long Position
    {
        get => _parallel?.Position ?? single.Position;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_parallel is not null)
        {
            return await _parallel.ReadAsync(buffer, cancellationToken);
        }

        var before = time.GetTimestamp();
        var read = await single.ReadAsync(buffer, cancellationToken);
        _stretchWaited += time.GetElapsedTime(before);
        _stretchBytes += read;
        if (_stretchBytes >= probeBytes)
        {
            var sourceBound = IsSourceBound(_stretchWaited, time.GetElapsedTime(_stretchStarted));
            _stretchBytes = 0;
            _stretchWaited = TimeSpan.Zero;
            _stretchStarted = time.GetTimestamp();
            if (sourceBound && total - single.Position >= thresholdBytes && single.Detach() is { } open)
            {
                _parallel = parallel(open, single.Position);
                await single.DisposeAsync();
            }
        }

        return read;
    }

    internal static bool IsSourceBound(TimeSpan waited, TimeSpan elapsed) =>
        elapsed > TimeSpan.Zero && waited / elapsed >= SourceBoundShare;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _parallel?.Dispose();
            single.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_parallel is not null)
        {
            await _parallel.DisposeAsync();
        }

        await single.DisposeAsync();
        await base.DisposeAsync();
    }
}
