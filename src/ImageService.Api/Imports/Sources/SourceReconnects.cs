using static ImageService.Api.Imports.Sources.ImportSourceCodes;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// One import's budget of reconnections (Import:MaxResumes), shared by all its connections, and the
/// backoff between them. Thread-safe: a parallel download's connections reconnect on their own.
/// </summary>
internal sealed class SourceReconnects(int budget, TimeSpan delay, TimeProvider time)
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);
    private int _count;

    /// <summary>Reconnections made so far, for the import's status.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// A break the download can go on from: the connection dropped or reset, or went silent or too slow
    /// (SourceContentStream). Too large, refused or changed is final.
    /// </summary>
    public static bool IsResumable(SourceFailure failure) =>
        failure.Code is SourceInterrupted or SourceTimeout or SourceTooSlow or SourceUnreachable;

    /// <summary>
    /// Waits before reconnection number <paramref name="inARow"/> (0 for the first since data last
    /// arrived) and takes it from the budget; false when the budget is spent.
    /// </summary>
    public async Task<bool> TakeAsync(int inARow, CancellationToken ct)
    {
        if (Interlocked.Increment(ref _count) > budget)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        var wait = delay * Math.Pow(2, Math.Min(inARow, 16));
        await Task.Delay(wait < MaxDelay ? wait : MaxDelay, time, ct);
        return true;
    }

    /// <summary>Opens a range, reconnecting within the budget while the failure is one to go on from.</summary>
    public async Task<SourceResponse> OpenAsync(
        Func<SourceRange, CancellationToken, Task<SourceResponse>> open, SourceRange range, SourceFailure? broke, int inARow,
        CancellationToken ct)
    {
        if (broke is null)
        {
            var first = await open(range, ct);
            if (first.IsOpen || !IsResumable(first.Failure))
            {
                return first;
            }

            broke = first.Failure;
        }

        for (var attempt = inARow; ; attempt++)
        {
            if (!await TakeAsync(attempt, ct))
            {
                return budget == 0 ? SourceResponse.Failed(broke) : SourceResponse.Failed(broke.Code,
                    $"{broke.Detail} (It was resumed {budget} times, Import:MaxResumes, and broke again.)");
            }

            var reopened = await open(range, ct);
            if (reopened.IsOpen || !IsResumable(reopened.Failure))
            {
                return reopened;
            }

            broke = reopened.Failure;
        }
    }
}
