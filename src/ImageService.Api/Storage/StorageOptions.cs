using System.ComponentModel.DataAnnotations;

namespace ImageService.Api.Storage;

internal sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";
    public const string FileSystem = "FileSystem";
    public const string S3Provider = "S3";

    // FileSystem (one node, files below Data:Directory, the default) or S3 (a bucket every node shares).
    public string Provider { get; set; } = FileSystem;

    // While data streams in, force it to disk every so often, so that the final flush before the
    // image turns active is short and dirty pages never pile up.
    [Range(1L << 20, 1L << 40)]
    public long FlushIntervalBytes { get; set; } = 256L << 20;

    public S3StorageOptions S3 { get; set; } = new();

    public bool IsS3 => string.Equals(Provider, S3Provider, StringComparison.OrdinalIgnoreCase);

    public static bool IsS3In(IConfiguration configuration) =>
        string.Equals(configuration[$"{Section}:{nameof(Provider)}"], S3Provider, StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsS3)
        {
            if (!string.Equals(Provider, FileSystem, StringComparison.OrdinalIgnoreCase))
            {
                yield return new ValidationResult($"{Section}:{nameof(Provider)} must be {FileSystem} or {S3Provider}.", [nameof(Provider)]);
            }

            yield break;
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(S3, new ValidationContext(S3), results, validateAllProperties: true);
        foreach (var result in results.Concat(S3.Validate(validationContext)))
        {
            yield return new ValidationResult($"{Section}:S3: {result.ErrorMessage}", result.MemberNames.Select(m => $"S3.{m}"));
        }
    }
}
