using System.ComponentModel.DataAnnotations;
using System.Net;
using ImageService.Api.Imports.Sources;

namespace ImageService.Api.Imports;

/// <summary>Limits and sources for importing images from URLs, bound from the "Import" section.</summary>
internal sealed class ImportOptions : IValidatableObject
{
    public const string Section = "Import";

    // Every import URL is attacker-chosen (Glance OSSA-2026-004 / CVE-2026-34881 and classic SSRF), so
    // nothing is fetched until an operator names the object storage locations explicitly. Entries are
    // URL prefixes: scheme, host, optional port and optional path prefix, such as
    // "https://object-store.example.com/bucket/" or "http://127.0.0.1:9000".
    public List<string> AllowedSources { get; set; } = [];

    // Networks that a listed host *name* may resolve to although they are loopback or private, such
    // as "10.20.0.0/16" for an on-premises object store. A listed IP literal needs no entry here.
    // Link-local and metadata addresses stay refused whatever is listed (docs/imports.md, Safe URLs).
    public List<string> AllowedSourceNetworks { get; set; } = [];

    // Host names answered from this table instead of DNS, as /etc/hosts or curl's --resolve would:
    // "objects.internal": ["10.20.0.5"]. The addresses are checked exactly like DNS answers.
    public Dictionary<string, List<string>> HostAddresses { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxImageBytes { get; set; } = 1L << 40;

    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxVirtualSizeBytes { get; set; } = 16L << 40;

    [Range(1, 256)]
    public int MaxConcurrentImports { get; set; } = 2;

    [Range(1, 1024)]
    public int MaxConcurrentImportsPerAccount { get; set; } = 4;

    // The lower bounds allow the sub-second values that tests use against local servers.
    [Range(typeof(TimeSpan), "00:00:00.1", "00:05:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan ReadIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    // The idle timeout does not stop a source that sends a byte a second, and such a source would
    // hold an import slot for ever. Over each window of time spent waiting on the source it must
    // average at least this rate, or the import fails as source_too_slow; 0 turns the check off.
    // 64 KiB/s is far below any object store, and a one-minute window rides out a short stall.
    [Range(typeof(long), "0", "9223372036854775807")]
    public long MinSourceBytesPerSecond { get; set; } = 64 << 10;

    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan SourceRateWindow { get; set; } = TimeSpan.FromMinutes(1);

    // However steady the source, the copy ends by then (source_too_slow): a whole 1 TiB image at
    // 100 Mbit/s takes about a day.
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan MaxImportDuration { get; set; } = TimeSpan.FromHours(24);

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    [Range(typeof(TimeSpan), "00:00:00.1", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    // How often each node looks for data no job or active image owns (a node died mid-import, or
    // between storing an image and recording it), and how old such data must be before it goes.
    // The grace period covers a lease and the clock skew between nodes and the object store.
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan SweepGracePeriod { get; set; } = TimeSpan.FromMinutes(15);

    // A download that breaks, resets or stalls mid-body (source_interrupted, source_timeout,
    // source_too_slow) is continued with a Range request when the source answers ranges, up to this
    // many reconnections per import attempt across all its connections; 0 turns resuming off.
    [Range(0, 100)]
    public int MaxResumes { get; set; } = 10;

    // The wait before a reconnection, doubled for each reconnection in a row that brought no byte,
    // and never more than 30 seconds.
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ResumeDelay { get; set; } = TimeSpan.FromSeconds(1);

    // An object at least this large, from a source that answers ranges, is fetched over
    // ParallelConnections connections at once, each a sequence of ParallelRangeBytes ranges: object
    // stores cap each connection, and S3's guidance is several concurrent ranged GETs.
    [Range(typeof(long), "1", "9223372036854775807")]
    public long ParallelThresholdBytes { get; set; } = 64L << 20;

    // 1 turns parallel download off.
    [Range(1, 16)]
    public int ParallelConnections { get; set; } = 4;

    // A large object starts over one connection; after every this many bytes, if the import spent at
    // least half of that time waiting for the source, the rest comes over ParallelConnections
    // (AdaptiveSourceStream). 0 goes parallel from the first byte.
    [Range(typeof(long), "0", "9223372036854775807")]
    public long ParallelProbeBytes { get; set; } = 16L << 20;

    // A multiple of 1 MiB. Memory for the reassembly is (ParallelConnections + 1) ranges.
    [Range(1 << 20, 64 << 20)]
    public int ParallelRangeBytes { get; set; } = 8 << 20;

    // RFC 9110 §15.4 leaves the limit to the client; a short chain is enough for an object store and
    // bounds the hosts one hostile URL can make this service contact.
    [Range(0, 10)]
    public int MaxRedirects { get; set; } = 3;

    // ValidateDataAnnotations runs this too, so a malformed entry fails at boot rather than on the
    // first import. The entry itself is not echoed: it may carry credentials an operator mistyped.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ParallelRangeBytes % (1 << 20) != 0)
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(ParallelRangeBytes)} must be a multiple of 1 MiB (1048576).", [nameof(ParallelRangeBytes)]);
        }

        for (var i = 0; i < AllowedSources.Count; i++)
        {
            if (!AllowedSource.TryParse(AllowedSources[i], out _, out var error))
            {
                yield return new ValidationResult(
                    $"{Section}:{nameof(AllowedSources)}:{i} is not a valid source prefix. {error}",
                    [nameof(AllowedSources)]);
            }
        }

        for (var i = 0; i < AllowedSourceNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(AllowedSourceNetworks[i], out _))
            {
                yield return new ValidationResult(
                    $"{Section}:{nameof(AllowedSourceNetworks)}:{i} is not a network: write it in CIDR form with no bits "
                    + "set after the prefix, such as 10.20.0.0/16 or fd12:3456::/48.",
                    [nameof(AllowedSourceNetworks)]);
            }
        }

        foreach (var (host, addresses) in HostAddresses)
        {
            if (SourceHost.Parse(host, out _) is not null || SourceHost.TryGetAddress(host, out _))
            {
                yield return new ValidationResult(
                    $"{Section}:{nameof(HostAddresses)} has an entry that is not a host name; give lower-case DNS names.",
                    [nameof(HostAddresses)]);
            }
            else if (addresses.Count == 0 || addresses.Any(a => !IPAddress.TryParse(a, out _)))
            {
                yield return new ValidationResult(
                    $"{Section}:{nameof(HostAddresses)}:{host} must list one or more IP addresses.",
                    [nameof(HostAddresses)]);
            }
        }
    }
}
