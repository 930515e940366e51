using System.ComponentModel.DataAnnotations;

namespace ImageService.Api.Quotas;

// Limits for every account that has no override of its own (`quotas set`); null is unlimited.
internal sealed class QuotaOptions
{
    public const string Section = "Quotas";

    [Range(typeof(long), "0", "9223372036854775807")]
    public long? MaxImagesPerAccount { get; set; }

    [Range(typeof(long), "0", "9223372036854775807")]
    public long? MaxBytesPerAccount { get; set; }
}
