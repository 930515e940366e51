using ImageService.Api.Wire;

namespace ImageService.Api.Images;

internal static class ImageErrors
{
    // A member can see the image, so a 404 would be a lie; it may not change it.
    public static ScpErrorResult NotOwner(string action) =>
        ScpErrors.Forbidden("not_image_owner", $"Only the account that owns the image may {action} it.");
}
