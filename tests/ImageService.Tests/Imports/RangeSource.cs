using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace ImageService.Tests.Imports;

// An object on the loopback object store that misbehaves on purpose: it answers ranges (or not), drops
// the connection once at each of the given offsets, changes its ETag after some requests, ignores
// If-Range, holds back the answer for the object's first bytes (so that later ranges complete
// first), or trickles its first download. It counts every byte it sends.
public sealed class RangeSource(byte[] bytes)
{
    private readonly Lock _gate = new();
    private readonly HashSet<long> _drops = [];
    private readonly List<long> _starts = [];
    private readonly List<long> _dropped = [];
    private readonly List<long> _finished = [];
    private long _sent;
    private int _requests;
    private int _inFlight;
    private int _mostInFlight;
    private readonly TaskCompletionSource _allIn = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Ranges { get; init; } = true;

    public bool IgnoreIfRange { get; init; }

    // Requests after this many see a new version of the object (a new ETag).
    public int ChangesAfterRequests { get; init; } = int.MaxValue;

    // Answers covering the object's first byte wait this long before their body.
    public TimeSpan FirstBytesDelay { get; init; }

    // Every answer waits (up to 5 seconds) until this many requests are in flight at once, so that a
    // test can tell that many connections were opened however the machine schedules them.
    public int HoldUntilInFlight { get; init; }

    // The first answer sends this many bytes every 100 ms (0: at full speed).
    public int TrickleFirst { get; init; }

    public long BytesSent => Interlocked.Read(ref _sent);

    public int Requests => Volatile.Read(ref _requests);

    // The most requests it was answering at one moment.
    public int MostInFlight => Volatile.Read(ref _mostInFlight);

    public long Length => bytes.Length;

    // The first byte of each answer, in the order the requests came.
    public IReadOnlyList<long> Starts
    {
        get
        {
            lock (_gate)
            {
                return [.. _starts];
            }
        }
    }

    // The first byte of each answer that was sent whole, in the order they ended.
    public IReadOnlyList<long> Finished
    {
        get
        {
            lock (_gate)
            {
                return [.. _finished];
            }
        }
    }

    // Where each drop happened, in order.
    public IReadOnlyList<long> Dropped
    {
        get
        {
            lock (_gate)
            {
                return [.. _dropped];
            }
        }
    }

    public RangeSource DropAt(params long[] offsets)
    {
        lock (_gate)
        {
            _drops.UnionWith(offsets);
        }

        return this;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        lock (_gate)
        {
            _mostInFlight = Math.Max(_mostInFlight, inFlight);
        }

        if (inFlight >= HoldUntilInFlight)
        {
            _allIn.TrySetResult();
        }

        try
        {
            await _allIn.Task.WaitAsync(TimeSpan.FromSeconds(5), context.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await AnswerAsync(context, Interlocked.Increment(ref _requests));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The service hung up (it read the range it wanted of a longer answer, or gave up).
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task AnswerAsync(HttpContext context, int request)
    {
        var etag = request > ChangesAfterRequests ? "\"v2\"" : "\"v1\"";
        var (from, last) = (0L, bytes.Length - 1L);
        var response = context.Response;
        if (Ranges && RangeHeaderValue.TryParse(context.Request.Headers.Range.ToString(), out var range)
            && range.Ranges.Single() is { From: { } start } asked
            && IfRangeHolds(context.Request.Headers.IfRange.ToString(), etag))
        {
            (from, last) = (start, Math.Min(asked.To ?? last, last));
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {from}-{last}/{bytes.Length}";
        }

        if (Ranges)
        {
            response.Headers.AcceptRanges = "bytes";
        }

        response.Headers.ETag = etag;
        response.ContentLength = last - from + 1;
        lock (_gate)
        {
            _starts.Add(from);
        }

        if (from == 0 && FirstBytesDelay > TimeSpan.Zero)
        {
            // The headers go first, so that the service sees the ranges and opens its other connections.
            await response.StartAsync(context.RequestAborted);
            await response.Body.FlushAsync(context.RequestAborted);
            await Task.Delay(FirstBytesDelay, context.RequestAborted);
        }

        var piece = request == 1 && TrickleFirst > 0 ? TrickleFirst : 64 << 10;
        for (var position = from; position <= last;)
        {
            var end = Math.Min(last + 1, position + piece);
            var drop = NextDrop(position, end);
            await response.Body.WriteAsync(bytes.AsMemory((int)position, (int)((drop ?? end) - position)), context.RequestAborted);
            Interlocked.Add(ref _sent, (drop ?? end) - position);
            if (drop is not null)
            {
                await DropAsync(context);
                return;
            }

            position = end;
            if (request == 1 && TrickleFirst > 0)
            {
                await response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(100, context.RequestAborted);
            }
        }

        lock (_gate)
        {
            _finished.Add(from);
        }
    }

    // The connection breaks exactly after the bytes written so far. Kestrel's abort alone ends in an
    // abortive close (RST, as the connection has a receive pending), which throws away what the
    // sockets still hold for the service; on a loaded machine, or with a service whose reader lags
    // its store, that was several hundred KiB a drop (5.46 MB sent for a 4.2 MB image with three
    // drops), bytes sent but never received, which a test of "fetched once" must not count against
    // the service. So the source first ends its side with a FIN after everything written (the
    // service reads it all, then the early end: source_interrupted), waits for the service to hang
    // up, and only then aborts. What can still be lost is what Kestrel's own output buffer held
    // (64 KiB, KestrelServerLimits.MaxResponseBufferSize) when the kernel's send buffer was full.
    private static async Task DropAsync(HttpContext context)
    {
        await context.Response.Body.FlushAsync(context.RequestAborted);
        if (context.Features.Get<IConnectionSocketFeature>()?.Socket is { } socket)
        {
            await Task.Delay(50, context.RequestAborted);
            socket.Shutdown(SocketShutdown.Send);
            await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        context.Abort();
    }

    // A drop point in (position, end], used once.
    private long? NextDrop(long position, long end)
    {
        lock (_gate)
        {
            foreach (var drop in _drops.Order())
            {
                if (drop > position && drop <= end)
                {
                    _drops.Remove(drop);
                    _dropped.Add(drop);
                    return drop;
                }
            }
        }

        return null;
    }

    // RFC 9110 §13.1.5: the range is sent only while the validator still matches. A source that
    // ignores If-Range answers every conditional Range with the whole object (200).
    private bool IfRangeHolds(string ifRange, string etag) =>
        ifRange.Length == 0 || (!IgnoreIfRange && ifRange == etag);
}
