using System.Runtime.ExceptionServices;
using static ImageService.Api.Imports.Sources.ImportSourceCodes;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// A source's object fetched over several connections at once and read back as one stream, in order.
/// The object is cut into ranges; each connection takes the next range not yet taken, fetches it with
/// <c>Range</c> and If-Range, and puts its bytes into 1 MiB blocks of a fixed ring. A block may be
/// filled only while it lies within the ring's reach of the reader, so memory stays at the ring's size
/// whatever the object's size, ranges may complete in any order, and the connection holding the block
/// the reader needs next always has room (every block before it is already in the ring). A connection
/// that breaks goes on from where its range broke, within the import's reconnection budget.
/// </summary>
internal sealed class ParallelRangeStream : SourceReadStream
{
    public const int BlockSize = 1 << 20;

    private readonly Block[] _ring;
    private readonly AnonymousMemory _ringMemory;
    private readonly long _start;
    private readonly long _total;
    private readonly int _rangeBytes;
    private readonly string _validator;
    private readonly Func<SourceRange, CancellationToken, Task<SourceResponse>> _open;
    private readonly SourceReconnects _reconnects;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task[] _connections;
    private TaskCompletionSource _changed = NewSignal();
    private long _nextRange = 1;
    private long _readBlock;
    private int _readOffset;
    private ExceptionDispatchInfo? _failure;

    // `first` is the answer that showed the source takes ranges; its body is the start of the object
    // (from `start`), so it serves the first range and is then dropped.
    public ParallelRangeStream(
        SourceResponse first, long start, long total, string validator, int connections, int rangeBytes,
        Func<SourceRange, CancellationToken, Task<SourceResponse>> open, SourceReconnects reconnects)
    {
        _start = start;
        _total = total;
        _rangeBytes = rangeBytes;
        _validator = validator;
        _open = open;
        _reconnects = reconnects;
        var blocks = (total - start + BlockSize - 1) / BlockSize;
        _ring = new Block[(int)Math.Min(blocks, (connections + 1L) * rangeBytes / BlockSize)];
        _ringMemory = new AnonymousMemory(_ring.Length * BlockSize);
        for (var i = 0; i < _ring.Length; i++)
        {
            _ring[i] = new Block(_ringMemory.Memory.Slice(i * BlockSize, BlockSize));
        }

        _connections = new Task[connections];
        _connections[0] = Task.Run(() => ConnectionAsync(first), CancellationToken.None);
        for (var i = 1; i < connections; i++)
        {
            _connections[i] = Task.Run(() => ConnectionAsync(null), CancellationToken.None);
        }
    }

    public override long Length => _total;

    public override long Position
    {
        get => _start + (_readBlock * BlockSize) + _readOffset;
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Position >= _total || buffer.IsEmpty)
        {
            return 0;
        }

        var block = _ring[_readBlock % _ring.Length];
        while (true)
        {
            var changed = Changed();
            _failure?.Throw();
            if (Volatile.Read(ref block.Number) == _readBlock)
            {
                break;
            }

            await changed.WaitAsync(cancellationToken);
        }

        var count = Math.Min(buffer.Length, block.Length - _readOffset);
        block.Data.Slice(_readOffset, count).CopyTo(buffer);
        _readOffset += count;
        if (_readOffset == block.Length)
        {
            _readOffset = 0;
            Volatile.Write(ref block.Number, -1);
            Interlocked.Increment(ref _readBlock);
            Signal();
        }

        return count;
    }

    // Takes ranges until none is left; any failure stops every connection and reaches the reader.
    private async Task ConnectionAsync(SourceResponse? first)
    {
        var ct = _stop.Token;
        try
        {
            var range = first is null ? Interlocked.Increment(ref _nextRange) - 1 : 0;
            for (; _start + (range * _rangeBytes) < _total; range = Interlocked.Increment(ref _nextRange) - 1)
            {
                var from = _start + (range * _rangeBytes);
                await FetchAsync(from, Math.Min(_total, from + _rangeBytes), first, ct);
                first = null;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Fail(ExceptionDispatchInfo.Capture(e));
        }
        finally
        {
            first?.Dispose();
        }
    }

    private async Task FetchAsync(long from, long end, SourceResponse? response, CancellationToken ct)
    {
        var position = from;
        SourceFailure? broke = null;
        var inARow = 0;
        try
        {
            while (position < end)
            {
                if (response is null)
                {
                    response = await _reconnects.OpenAsync(
                        _open, new SourceRange(position, end - 1, _total, _validator), broke, inARow, ct);
                    if (!response.IsOpen)
                    {
                        throw new SourceFailureException(response.Failure);
                    }

                    inARow = broke is null ? 0 : inARow + 1;
                }

                try
                {
                    position = await FillAsync(response.Content!, position, end, ct);
                    inARow = 0;
                }
                catch (SourceFailureException e) when (SourceReconnects.IsResumable(e.Failure) && !ct.IsCancellationRequested)
                {
                    position = e.Data[PositionKey] is long reached ? reached : position;
                    await response.DisposeAsync();
                    response = null;
                    broke = e.Failure;
                }
            }
        }
        finally
        {
            if (response is not null)
            {
                await response.DisposeAsync();
            }
        }
    }

    private const string PositionKey = "position";

    // Reads [position, end) into the ring, a block at a time, waiting for room. A break carries how far
    // it got, so that the reconnection asks for exactly the rest.
    private async Task<long> FillAsync(Stream content, long position, long end, CancellationToken ct)
    {
        while (position < end)
        {
            var number = (position - _start) / BlockSize;
            await WaitForRoomAsync(number, ct);
            var block = _ring[number % _ring.Length];
            var blockStart = _start + (number * BlockSize);
            var blockEnd = Math.Min(end, blockStart + BlockSize);
            int read;
            try
            {
                read = await content.ReadAsync(block.Data.Slice((int)(position - blockStart), (int)(blockEnd - position)), ct);
            }
            catch (SourceFailureException e)
            {
                e.Data[PositionKey] = position;
                throw;
            }

            if (read == 0)
            {
                var ended = new SourceFailureException(new SourceFailure(SourceInterrupted,
                    "The connection to the source ended before the whole range arrived."));
                ended.Data[PositionKey] = position;
                throw ended;
            }

            position += read;
            if (position == blockEnd)
            {
                block.Length = (int)(blockEnd - blockStart);
                Volatile.Write(ref block.Number, number);
                Signal();
            }
        }

        return position;
    }

    private async Task WaitForRoomAsync(long number, CancellationToken ct)
    {
        while (true)
        {
            var changed = Changed();
            if (number < Interlocked.Read(ref _readBlock) + _ring.Length)
            {
                return;
            }

            await changed.WaitAsync(ct);
        }
    }

    private void Fail(ExceptionDispatchInfo failure)
    {
        Interlocked.CompareExchange(ref _failure, failure, null);
        _stop.Cancel();
        Signal();
    }

    // Waiters take the current signal before they test their condition, so no change is missed.
    private Task Changed()
    {
        lock (_gate)
        {
            return _changed.Task;
        }
    }

    private void Signal()
    {
        TaskCompletionSource fired;
        lock (_gate)
        {
            fired = _changed;
            _changed = NewSignal();
        }

        fired.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            StopAsync().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await StopAsync();
        await base.DisposeAsync();
    }

    private async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        await Task.WhenAll(_connections).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        ((IDisposable)_ringMemory).Dispose();
    }

    private sealed class Block(Memory<byte> data)
    {
        public readonly Memory<byte> Data = data;

        // The block number it holds, once whole; -1 while free or filling.
        public long Number = -1;

        public int Length;
    }
}
