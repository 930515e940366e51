using System.Diagnostics.Metrics;
using ImageService.Api.Data;
using ImageService.Api.Imports;

namespace ImageService.Api.Observability;

// The import worker's instruments. The code that does the work calls one method per event; every
// counter is per node (Prometheus's instance label tells the nodes apart), except the waiting
// gauge, which reads the queue that all nodes share.
internal sealed partial class ImportMetrics
{
    // Imports take from seconds (a small image on a fast store) to hours (a terabyte over a slow link).
    // The source tag of the started, succeeded, failed and bytes instruments: an import from a URL, or
    // an upload of the client's own bytes (Uploads/), which runs the same steps from its first byte.
    public const string FromUrl = "url";
    public const string FromUpload = "upload";
    private const string SourceTag = "source";

    private static readonly double[] DurationBuckets = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600];

    private static readonly double[] ThroughputBuckets = [1e5, 1e6, 5e6, 1e7, 2.5e7, 5e7, 1e8, 2.5e8, 5e8, 1e9];

    private readonly Counter<long> _started;
    private readonly Counter<long> _succeeded;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _bytes;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _throughput;
    private readonly UpDownCounter<long> _running;
    private readonly Counter<long> _takeovers;
    private readonly Counter<long> _swept;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly ILogger<ImportMetrics> _logger;

    public ImportMetrics(IMeterFactory meters, IServiceScopeFactory scopes, TimeProvider time, ILogger<ImportMetrics> logger)
    {
        _scopes = scopes;
        _time = time;
        _logger = logger;
        var meter = meters.Create(ImageServiceMeter.Name);
        _started = meter.CreateCounter<long>("imageservice.imports.started", "{import}", "Imports this node began copying (a job claimed from the queue).");
        _succeeded = meter.CreateCounter<long>("imageservice.imports.succeeded", "{import}", "Imports that ended with an active image.");
        _failed = meter.CreateCounter<long>("imageservice.imports.failed", "{import}", "Imports that ended with a killed image, by error code.");
        _bytes = meter.CreateCounter<long>("imageservice.import.bytes", "By", "Bytes of the images that became active through an import.");
        _duration = meter.CreateHistogram("imageservice.import.duration", "s", "From claim to active image, of successful imports.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _throughput = meter.CreateHistogram("imageservice.import.throughput", "By/s", "Image size over import duration, of successful imports.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = ThroughputBuckets });
        _running = meter.CreateUpDownCounter<long>("imageservice.imports.running", "{import}", "Imports this node is copying now.");
        meter.CreateObservableGauge("imageservice.imports.waiting", CountWaiting, "{import}",
            "Imports queued and not yet claimed by any node (the shared queue: every node reports the same number).");
        _takeovers = meter.CreateCounter<long>("imageservice.import.lease_takeovers", "{import}",
            "Jobs this node claimed after the node that held them stopped renewing their lease.");
        _swept = meter.CreateCounter<long>("imageservice.sweep.removed", "{object}",
            "Stored or staging objects the sweep removed because no live job or active image owned them, by kind.");
    }

    // Counts the run as started and running until the returned scope ends.
    public RunningImport Start(string source)
    {
        _started.Add(1, new KeyValuePair<string, object?>(SourceTag, source));
        _running.Add(1);
        return new RunningImport(_running);
    }

    public void Succeeded(ImportJob job, long size, string source)
    {
        var tag = new KeyValuePair<string, object?>(SourceTag, source);
        _succeeded.Add(1, tag);
        _bytes.Add(size, tag);
        if (job.StartedAt is { } started)
        {
            var seconds = (_time.GetUtcNow().UtcDateTime - started).TotalSeconds;
            _duration.Record(Math.Max(seconds, 0));
            if (seconds > 0)
            {
                _throughput.Record(size / seconds);
            }
        }
    }

    public void Failed(string errorCode, string source) =>
        _failed.Add(1, new KeyValuePair<string, object?>("error_code", errorCode), new KeyValuePair<string, object?>(SourceTag, source));

    public void LeaseTakenOver() => _takeovers.Add(1);

    public void Swept(string kind, int count)
    {
        if (count > 0)
        {
            _swept.Add(count, new KeyValuePair<string, object?>("kind", kind));
        }
    }

    // Read at scrape time; a database that does not answer yields no value rather than a failed scrape.
    private IEnumerable<Measurement<long>> CountWaiting()
    {
        try
        {
            using var scope = _scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
            return [new Measurement<long>(db.ImportJobs.LongCount(j => j.State == ImportState.Queued))];
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            Log.QueueUnreadable(_logger, e);
            return [];
        }
    }

    internal readonly struct RunningImport(UpDownCounter<long> running) : IDisposable
    {
        public void Dispose() => running.Add(-1);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The import queue could not be counted for the metrics")]
        public static partial void QueueUnreadable(ILogger logger, Exception exception);
    }
}
