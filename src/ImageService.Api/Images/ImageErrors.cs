using ImageService.Api.Wire;
using ImageService.Protocol.Errors;

namespace ImageService.Api.Images;

// The errors about one image that several operations answer, each code and text written once.
internal static class ImageErrors
{
    // A member can see the image, so a 404 would be a lie; it may not change it. doWhat completes
    // "Only the account that owns the image may ...".
    public static ScpErrorResult NotOwner(string doWhat) =>
        ScpErrors.Forbidden("not_image_owner", $"Only the account that owns the image may {doWhat}.");

    public static ScpErrorResult Protected() =>
        ScpErrors.Conflict("image_protected", "The image is protected; set protected to false before deleting it.");

    // then completes "...; <then> once it is active.", naming what the caller may do at that point.
    public static ScpErrorResult NotActive(string imageId, string status, string then) =>
        ScpErrors.Conflict("image_not_active", $"Image {ScpErrors.Quote(imageId)} is {status}; {then} once it is active.");

    public static ScpError InvalidUrl() =>
        ScpErrors.InvalidField("invalid_url",
            $"url is required: an http or https URL of at most {ImageRules.MaxUrlLength} characters whose path ends in .qcow2.");
}
