using ImageService.Api.Authentication;
using ImageService.Api.Images;
using ImageService.Api.Wire;

namespace ImageService.Api.Sharing;

internal static class SharingErrors
{
    // Glance answers every member operation on an image that is not shared with "Only shared images
    // have members." (403); the detail also says how to share it.
    public static ScpErrorResult NotShared(string imageId) =>
        ScpErrors.Forbidden("image_not_shared",
            $"Image {ScpErrors.Quote(imageId)} is not shared: only shared images have members. Set its visibility to shared first.");

    public static ScpErrorResult NotOwner() => ImageErrors.NotOwner("add or remove its members");

    public static ScpErrorResult NotTheMember() =>
        ScpErrors.Forbidden("not_image_member", "Only the member account itself may accept or reject a shared image.");

    public static ScpErrorResult MemberNotFound(string imageId, string memberId) =>
        ScpErrors.Of(StatusCodes.Status404NotFound, "member_not_found",
            $"Account {ScpErrors.Quote(memberId)} is not a member of image {ScpErrors.Quote(imageId)}.");

    public static ScpErrorResult InvalidMemberId() =>
        ScpErrors.BadRequest("invalid_member_id", $"member_id is required: 1 to {AccountIds.MaxLength} letters, digits or '-'.");

    public static ScpErrorResult MemberIsOwner() =>
        ScpErrors.BadRequest("member_is_owner", "member_id must be another account: an image is never shared with its owner.");

    public static ScpErrorResult InvalidStatus() =>
        ScpErrors.BadRequest("invalid_status", $"status is required: one of {string.Join(", ", MemberStatus.All)}.");

    public static ScpErrorResult MemberExists(string imageId, string memberId) =>
        ScpErrors.Conflict("member_exists", $"Account {ScpErrors.Quote(memberId)} is already a member of image {ScpErrors.Quote(imageId)}.");

    public static ScpErrorResult TooManyMembers(int limit) =>
        ScpErrors.Of(StatusCodes.Status413PayloadTooLarge, "member_limit_exceeded",
            $"An image can have at most {limit} members; remove one before adding another.");
}
