using ImageService.Api.Images;
using ImageService.Protocol.Sharing;

namespace ImageService.Api.Sharing;

// A member has one shape in every API version: exactly the five keys of ImageMemberShowResponse.
internal static class ImageMemberMapping
{
    public static ImageMemberShowResponse ToShowResponse(this ImageMember member) =>
        new(ImageMapping.Timestamp(member.CreatedAt), member.ImageId, member.MemberId, member.Status, ImageMapping.Timestamp(member.UpdatedAt));
}
