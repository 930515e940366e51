using System.Collections.Concurrent;

namespace ImageService.Api.Imports;

// Lets a delete on this node stop its own running download at once; other nodes notice at their
// next lease renewal, when the job row is gone.
internal sealed class ImportCancellations
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);

    public CancellationTokenSource Register(string imageId, CancellationToken linked)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(linked);
        _running[imageId] = source;
        return source;
    }

    public void Unregister(string imageId, CancellationTokenSource source) => _running.TryRemove(new(imageId, source));

    public void Cancel(string imageId)
    {
        if (_running.TryGetValue(imageId, out var source))
        {
            try
            {
                source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It finished meanwhile.
            }
        }
    }
}
