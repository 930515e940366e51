using System.Diagnostics.Metrics;

namespace ImageService.Api.Observability;

// Requests and imports refused with quota_exceeded, by the limit that refused them: "images" or
// "bytes". The quota code calls Refused where it answers 413.
internal sealed class QuotaMetrics
{
    public const string Images = "images";
    public const string Bytes = "bytes";

    private readonly Counter<long> _refusals;

    public QuotaMetrics(IMeterFactory meters)
    {
        _refusals = meters.Create(ImageServiceMeter.Name).CreateCounter<long>("imageservice.quota.refusals", "{refusal}",
            "Creates, imports and uploads refused because an account reached its quota, by limit.");
    }

    public void Refused(string limit) => _refusals.Add(1, new KeyValuePair<string, object?>("limit", limit));
}
