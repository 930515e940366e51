using System.Runtime.CompilerServices;
using static ImageService.Api.Imports.Sources.ImportSourceCodes;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// The body of a source, read-only and asynchronous, that fails a read making no progress for the idle
/// timeout, a source slower than the minimum rate, and stops at the size limit. Failures surface as <see cref="SourceFailureException"/>.
/// </summary>
/// <remarks>
/// A hostile or broken source can send headers and then trickle or stall for ever (a slowloris in
/// reverse), holding an import slot. A total timeout would break honest 1 TiB downloads, so the limit
/// is on silence instead. The idle token is one CancellationTokenSource armed with CancelAfter before
/// each read and disarmed after it, so a read allocates nothing. It is disarmed with
/// CancelAfter(Infinite) rather than TryReset because TryReset does not stop timers made by a
/// non-system TimeProvider.
/// </remarks>
internal sealed class SourceContentStream : SourceReadStream
{
    private readonly Stream _inner;
    private readonly TimeSpan _idleTimeout;
    private readonly long _maxBytes;
    private readonly long _minBytesPerSecond;
    private readonly TimeSpan _rateWindow;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _idle;
    private CancellationToken _linkedToken;
    private CancellationTokenRegistration _linkedRegistration;
    private long _bytesRead;
    private long _windowBytes;
    private TimeSpan _windowWaited;
    private SourceFailure? _failure;

    public SourceContentStream(Stream inner, ImportOptions settings, TimeProvider timeProvider)
    {
        _inner = inner;
        _idleTimeout = settings.ReadIdleTimeout;
        _maxBytes = settings.MaxImageBytes;
        _minBytesPerSecond = settings.MinSourceBytesPerSecond;
        _rateWindow = settings.SourceRateWindow;
        _time = timeProvider;
        _idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
    }

    /// <summary>The bytes returned so far, for progress reports.</summary>
    public long BytesRead => _bytesRead;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _bytesRead;
        set => throw new NotSupportedException();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_failure is not null)
        {
            throw new SourceFailureException(_failure);
        }

        LinkCallerToken(cancellationToken);
        int read;
        var started = _time.GetTimestamp();
        _idle.CancelAfter(_idleTimeout);
        try
        {
            read = await _inner.ReadAsync(buffer, _idle.Token);
        }
        catch (OperationCanceledException e) when (cancellationToken.IsCancellationRequested)
        {
            // The caller's cancellation also cancelled the shared idle source, so the stream is done.
            _failure = new SourceFailure(SourceInterrupted, "The download was cancelled before the whole object arrived.");
            throw new OperationCanceledException(e.Message, e, cancellationToken);
        }
        catch (OperationCanceledException e) when (_idle.IsCancellationRequested)
        {
            throw Fail(SourceTimeout,
                $"The source sent nothing for {_idleTimeout.TotalSeconds:0.#} seconds; check that it is reachable and not throttling.", e);
        }
        catch (IOException e) when (e is not SourceFailureException)
        {
            throw Fail(SourceInterrupted,
                "The connection to the source broke before the whole object arrived; try the import again.", e);
        }
        finally
        {
            _idle.CancelAfter(Timeout.InfiniteTimeSpan);
        }

        _bytesRead += read;
        if (_bytesRead > _maxBytes)
        {
            throw Fail(SourceTooLarge, $"The source sent more than the {_maxBytes} bytes this service imports; give a smaller image.", null);
        }

        CheckRate(read, _time.GetElapsedTime(started));
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _linkedRegistration.Dispose();
            _idle.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    // The caller's token cancels the idle source through one registration, renewed only when the
    // caller passes a different token: linking per read would allocate.
    private void LinkCallerToken(CancellationToken cancellationToken)
    {
        if (!cancellationToken.CanBeCanceled || cancellationToken == _linkedToken)
        {
            return;
        }

        _linkedRegistration.Dispose();
        _linkedToken = cancellationToken;
        _linkedRegistration = cancellationToken.UnsafeRegister(
            static state => ((CancellationTokenSource)state!).Cancel(), _idle);
    }

    // The rate counts only time spent waiting on the source, not time the caller spent elsewhere
    // (hashing, a slow store), so a fast source behind a slow disk is never blamed for the disk.
    private void CheckRate(int read, TimeSpan waited)
    {
        if (_minBytesPerSecond == 0)
        {
            return;
        }

        _windowBytes += read;
        _windowWaited += waited;
        if (_windowWaited < _rateWindow)
        {
            return;
        }

        var rate = _windowBytes / _windowWaited.TotalSeconds;
        if (rate < _minBytesPerSecond)
        {
            throw Fail(SourceTooSlow,
                $"The source sent {rate:0} bytes a second over {_windowWaited.TotalSeconds:0.#} seconds, below the "
                + $"{_minBytesPerSecond} this service needs to keep an import slot (Import:MinSourceBytesPerSecond); "
                + "import it from a faster or less loaded object store.", null);
        }

        _windowBytes = 0;
        _windowWaited = TimeSpan.Zero;
    }

    private SourceFailureException Fail(string code, string detail, Exception? innerException)
    {
        _failure = new SourceFailure(code, detail);
        return new SourceFailureException(_failure, innerException);
    }
}
