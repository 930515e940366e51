using System.ComponentModel.DataAnnotations;

namespace ImageService.Api.Sharing;

internal sealed class SharingOptions
{
    public const string Section = "Sharing";

    // Glance's image_member_quota defaults to 128 as well; a create beyond it answers 413, as Glance does.
    [Range(1, 10_000)]
    public int MaxMembersPerImage { get; set; } = 128;
}
