using System.ComponentModel.DataAnnotations;
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

    // RFC 9110 §15.4 leaves the limit to the client; a short chain is enough for an object store and
    // bounds the hosts one hostile URL can make this service contact.
    [Range(0, 10)]
    public int MaxRedirects { get; set; } = 3;

    // ValidateDataAnnotations runs this too, so a malformed entry fails at boot rather than on the
    // first import. The entry itself is not echoed: it may carry credentials an operator mistyped.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < AllowedSources.Count; i++)
        {
            if (!AllowedSource.TryParse(AllowedSources[i], out _, out var error))
            {
                yield return new ValidationResult(
                    $"{Section}:{nameof(AllowedSources)}:{i} is not a valid source prefix. {error}",
                    [nameof(AllowedSources)]);
            }
        }
    }
}
