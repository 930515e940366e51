using System.ComponentModel.DataAnnotations;

namespace ImageService.Api.Audit;

internal sealed class AuditOptions
{
    public const string Section = "Audit";

    // How long events are kept; the import sweep removes older ones on every node.
    [Range(typeof(TimeSpan), "01:00:00", "36500.00:00:00")]
    public TimeSpan RetentionPeriod { get; set; } = TimeSpan.FromDays(365);
}
