using Microsoft.Extensions.Options;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// Opens an import's source as one stream that outlives broken connections: resumed with Range and
/// If-Range when the source answers ranges (ResumingSourceStream), fetched over several connections
/// when the object is also large and one connection does not keep up (AdaptiveSourceStream,
/// ParallelRangeStream), and as the plain body otherwise. Every
/// connection, first or not, goes through ObjectStorageClient, so every SSRF rule applies to each.
/// </summary>
internal sealed class SourceDownloads(ObjectStorageClient client, IOptionsMonitor<ImportOptions> options, TimeProvider time)
{
    /// <summary>The whole object, from its first byte.</summary>
    public async Task<SourceResponse> OpenAsync(Uri url, CancellationToken ct)
    {
        var first = await client.OpenAsync(url, ct);
        return first is { IsOpen: true, AcceptsRanges: true, Validator: { } validator, ContentLength: { } total }
            ? Wrap(url, first, 0, total, validator)
            : first;
    }

    /// <summary>
    /// The rest of the object from <paramref name="offset"/>, only while it is still the version
    /// <paramref name="validator"/> names (after a take-over); source_changed otherwise. ContentLength
    /// is the whole object's length.
    /// </summary>
    public async Task<SourceResponse> OpenFromAsync(Uri url, long offset, long total, string validator, CancellationToken ct)
    {
        var rest = await client.OpenAsync(url, new SourceRange(offset, null, total, validator), ct);
        return rest.IsOpen ? Wrap(url, rest, offset, total, validator) : rest;
    }

    private SourceResponse Wrap(Uri url, SourceResponse first, long offset, long total, string validator)
    {
        var settings = options.CurrentValue;
        var reconnects = new SourceReconnects(settings.MaxResumes, settings.ResumeDelay, time);
        Task<SourceResponse> Open(SourceRange range, CancellationToken ct) => client.OpenAsync(url, range, ct);
        ParallelRangeStream Parallel(SourceResponse open, long from) =>
            new(open, from, total, validator, settings.ParallelConnections, settings.ParallelRangeBytes, Open, reconnects);
        Stream content = settings.ParallelConnections <= 1 || total - offset < settings.ParallelThresholdBytes
            ? new ResumingSourceStream(first, offset, total, validator, Open, reconnects)
            : settings.ParallelProbeBytes == 0
            ? Parallel(first, offset)
            : new AdaptiveSourceStream(new ResumingSourceStream(first, offset, total, validator, Open, reconnects), total,
                settings.ParallelProbeBytes, settings.ParallelThresholdBytes, Parallel, time);
        return SourceResponse.Resilient(content, total, validator, reconnects);
    }
}
