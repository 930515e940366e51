using System.Threading.Channels;

namespace ImageService.Api.Imports;

// A doorbell, not a queue: the database holds the jobs; this only wakes the worker early.
internal sealed class ImportSignal(TimeProvider time)
{
    private readonly Channel<bool> _bell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Ring() => _bell.Writer.TryWrite(true);

    // The poll interval runs on the injected clock: CancelAfter on a linked source would use the
    // system's timer whatever TimeProvider the service was given.
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var interval = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, interval.Token);
        try
        {
            await _bell.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The poll interval passed without a ring: look at the database anyway.
        }
    }
}
