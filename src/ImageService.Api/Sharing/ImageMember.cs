namespace ImageService.Api.Sharing;

internal sealed class ImageMember
{
    public required string ImageId { get; init; }

    public required string MemberId { get; init; }

    public required string Status { get; set; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; set; }
}
