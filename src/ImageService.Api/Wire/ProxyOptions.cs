using System.ComponentModel.DataAnnotations;
using System.Net;

namespace ImageService.Api.Wire;

// The load balancers in front of the nodes. A signature covers the URL as the client used it,
// scheme and host included (docs/signing.md); behind a proxy that ends TLS, only the proxy knows
// them, and it says so in X-Forwarded-Proto and X-Forwarded-Host. Those headers are believed only
// from the addresses listed here, never from any client; with none listed, nobody's are.
internal sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "ForwardedHeaders";

    // Addresses (10.0.0.10) or networks (10.0.0.0/24).
    public List<string> TrustedProxies { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < TrustedProxies.Count; i++)
        {
            if (!IPAddress.TryParse(TrustedProxies[i], out _) && !IPNetwork.TryParse(TrustedProxies[i], out _))
            {
                yield return new ValidationResult(
                    $"{Section}:{nameof(TrustedProxies)}:{i} must be an IP address or a network such as 10.0.0.0/24.", [nameof(TrustedProxies)]);
            }
        }
    }
}
