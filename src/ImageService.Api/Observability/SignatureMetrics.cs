using System.Diagnostics.Metrics;

namespace ImageService.Api.Observability;

// Requests refused because their SCP signature did not authenticate them. The reason is for the
// operator only; the client always gets the same answer (docs/signing.md).
internal sealed class SignatureMetrics
{
    public const string Unsigned = "unsigned";
    public const string Malformed = "malformed";
    public const string Expired = "expired";
    public const string UnknownKey = "unknown_key";
    public const string Mismatch = "mismatch";

    private readonly Counter<long> _failures;

    public SignatureMetrics(IMeterFactory meters)
    {
        _failures = meters.Create(ImageServiceMeter.Name).CreateCounter<long>("imageservice.signature.failures", "{request}",
            "Requests answered 401 because the signature was missing, malformed, expired, for an unknown or revoked key, or did not match, by reason.");
    }

    public void Failed(string reason) => _failures.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
