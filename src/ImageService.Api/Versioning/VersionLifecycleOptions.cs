using System.ComponentModel.DataAnnotations;

namespace ImageService.Api.Versioning;

// The published lifecycle is data (appsettings.json ships the seed pages' table); an operator can
// replace it, per operation too, without a new build.
internal sealed class VersionLifecycleOptions
{
    public const string Section = "Versioning";

    // Keep answering versions whose "not before" date has passed, with Deprecation and Sunset
    // headers, so that clients in the field are not locked out by surprise.
    public bool ServeRetiredVersions { get; set; }

    [Range(0, 3650)]
    public int DeprecationWindowDays { get; set; } = 90;

    [Required]
    [MinLength(1)]
    public List<VersionEntryOptions> Versions { get; set; } = [];

    // operationId → its own table, replacing Versions for that operation.
    public Dictionary<string, List<VersionEntryOptions>> Operations { get; set; } = [];
}

internal sealed class VersionEntryOptions
{
    [Required]
    public string Version { get; set; } = "";

    // CURRENT, SUPPORTED, DEPRECATED or PLANNED (documented only, never callable).
    [Required]
    public string Status { get; set; } = "";

    // The day the version stops being served (UTC).
    public DateOnly? NotBefore { get; set; }
}
