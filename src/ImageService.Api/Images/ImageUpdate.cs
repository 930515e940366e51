using ImageService.Api.Wire;
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
        if (request.MinDisk is < 0)
        {
            errors.Add(ScpErrors.InvalidField("invalid_min_disk", "min_disk must be 0 or more."));
        }

        if (request.MinRam is < 0 or > ImageRules.MaxMinRam)
        {
            errors.Add(ScpErrors.InvalidField("invalid_min_ram", $"min_ram must be from 0 to {ImageRules.MaxMinRam}."));
        }

        if (!string.IsNullOrEmpty(request.Visibility) && !ImageRules.IsValidVisibility(request.Visibility))
        {
            errors.Add(ScpErrors.InvalidField("invalid_visibility", "visibility must be private or shared."));
        }

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
