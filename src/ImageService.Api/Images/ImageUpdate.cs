using ImageService.Protocol.Errors;
using ImageService.Protocol.Images;

namespace ImageService.Api.Images;

// updateImage changes only min_disk, min_ram, protected and visibility; null (and, for visibility,
// the empty string the Terraform provider sends for unset fields) means unchanged.
internal static class ImageUpdate
{
    public static IReadOnlyList<ScpError> Validate(ImageSetRequest request)
    {
        var errors = new List<ScpError>();
        ImageRules.CheckSettable(request.MinDisk, request.MinRam, request.Visibility, errors);
        return errors;
    }

    public static void Apply(Image image, ImageSetRequest request, DateTime now)
    {
        image.MinDisk = request.MinDisk ?? image.MinDisk;
        image.MinRam = request.MinRam ?? image.MinRam;
        image.Protected = request.Protected ?? image.Protected;
        image.Visibility = string.IsNullOrEmpty(request.Visibility) ? image.Visibility : request.Visibility;
        image.UpdatedAt = now;
    }
}
