using System.ComponentModel.DataAnnotations;

namespace ImageService.Api.Storage;

// Storage:S3, the bucket that holds image data when several nodes share it. AccessKey and SecretKey
// come from the environment (Storage__S3__SecretKey) or user secrets, never from appsettings, and
// are never logged. Without them the AWS SDK's own chain applies (environment, profile, instance role).
internal sealed class S3StorageOptions : IValidatableObject
{
    // The S3 API endpoint of a store that is not AWS (Ceph RGW, Swift s3api, MinIO), such as
    // http://127.0.0.1:8089; empty for AWS S3 itself, whose endpoint follows from Region.
    public string? Endpoint { get; set; }

    // The region requests are signed for; S3-compatible stores accept the one they are configured with.
    [Required]
    public string Region { get; set; } = "us-east-1";

    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", ErrorMessage = "Bucket must be 3 to 63 of a-z, 0-9, '.' and '-'.")]
    public string Bucket { get; set; } = "";

    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    // http://endpoint/bucket/key rather than http://bucket.endpoint/key: S3-compatible stores on one
    // host name, and bucket names with dots, need it.
    public bool ForcePathStyle { get; set; } = true;

    // Create the bucket at start when it is missing; turn off when the key may not create buckets.
    public bool CreateBucket { get; set; } = true;

    // Data goes up in parts of this size while it streams in (S3's minimum is 5 MiB). Parts grow
    // as an upload passes every 1,000 parts, so that S3's limit of 10,000 parts still fits any image
    // the import limit allows.
    [Range(5L << 20, 1L << 30)]
    public long PartSizeBytes { get; set; } = 8L << 20;

    // Parts uploading at once per import, while the next one fills: memory per import is at most
    // (MaxPartsInFlight + 1) parts.
    [Range(1, 16)]
    public int MaxPartsInFlight { get; set; } = 2;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Endpoint) &&
            (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult("Endpoint must be an absolute http or https URL.", [nameof(Endpoint)]);
        }

        if (string.IsNullOrEmpty(AccessKey) != string.IsNullOrEmpty(SecretKey))
        {
            yield return new ValidationResult("AccessKey and SecretKey go together: set both, or neither to use the AWS SDK's credential chain.",
                [nameof(AccessKey), nameof(SecretKey)]);
        }
    }
}
