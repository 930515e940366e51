using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ImageService.Api.Observability;

// Who may read /metrics (docs/operations.md#metrics). The scrape carries no signature: Prometheus
// cannot sign. It is open to loopback and to the networks listed here, and, with Port set, only on
// that local port, so the API's public listener never serves it.
internal sealed class MetricsOptions : IValidatableObject
{
    public const string Section = "Metrics";

    public const string Path = "/metrics";

    public bool Enabled { get; set; } = true;

    // A management port: the service must also listen on it (Urls or Kestrel:Endpoints).
    [Range(1, 65535)]
    public int? Port { get; set; }

    // Addresses (10.0.0.5) or networks (10.0.0.0/24) besides loopback, which is always allowed.
    public List<string> AllowedNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < AllowedNetworks.Count; i++)
        {
            if (!IPAddress.TryParse(AllowedNetworks[i], out _) && !IPNetwork.TryParse(AllowedNetworks[i], out _))
            {
                yield return new ValidationResult(
                    $"{Section}:{nameof(AllowedNetworks)}:{i} must be an IP address or a network such as 10.0.0.0/24.", [nameof(AllowedNetworks)]);
            }
        }
    }

    public bool Allows(IPAddress? remote)
    {
        if (remote is null)
        {
            // In-process test hosts have no connection; a real socket always has an address.
            return true;
        }

        if (remote.IsIPv4MappedToIPv6)
        {
            remote = remote.MapToIPv4();
        }

        return IPAddress.IsLoopback(remote) || AllowedNetworks.Any(n => Contains(n, remote));
    }

    private static bool Contains(string allowed, IPAddress remote) =>
        IPAddress.TryParse(allowed, out var address) ? address.Equals(remote) : IPNetwork.Parse(allowed).Contains(remote);
}
