using System.Text.Json;
using ImageService.Api.Versioning;
using ImageService.Api.Wire;
using ImageService.Protocol;
using ImageService.Protocol.Errors;
using ImageService.Protocol.Images;

namespace ImageService.Api.Images;

// Checks a create body and, when it is sound, builds the image it asks for.
internal static class ImageCreation
{
    // forUpload: createImageForUpload, the extension that makes an image whose data the client sends
    // itself (Uploads/); it takes the same body without url, and createImage keeps requiring one.
    public static IReadOnlyList<ScpError> Validate(ImageCreateRequest request, ApiVersion version, bool forUpload = false)
    {
        var errors = new List<ScpError>();
        if (ImageFieldRules.NameProblem(request.Name) is { } nameProblem)
        {
            errors.Add(ScpErrors.InvalidField("invalid_name", nameProblem));
        }

        var distros = ImageRules.OsDistros(version);
        if (request.OsDistro is null || !distros.Contains(request.OsDistro))
        {
            errors.Add(ScpErrors.InvalidField("invalid_os_distro",
                $"os_distro is required; it must be one of: {string.Join(", ", distros)} (API version {version})."));
        }

        if (forUpload && request.Url is not null)
        {
            errors.Add(ScpErrors.InvalidField("url_not_allowed",
                "An image for upload has no url: leave url out, or use createImage (POST /v1/images) to import from a URL."));
        }
        else if (!forUpload && !ImageRules.IsValidUrl(request.Url))
        {
            errors.Add(ImageErrors.InvalidUrl());
        }

        ImageRules.CheckSettable(request.MinDisk, request.MinRam, request.Visibility, errors);

        if (!string.IsNullOrEmpty(request.ContainerFormat) && request.ContainerFormat != ImageRules.ContainerFormat)
        {
            errors.Add(ScpErrors.InvalidField("invalid_container_format", "container_format must be bare."));
        }

        if (!string.IsNullOrEmpty(request.DiskFormat) && request.DiskFormat != ImageRules.DiskFormat)
        {
            errors.Add(ScpErrors.InvalidField("invalid_disk_format", "disk_format must be qcow2."));
        }

        if (request.Tags is { } tags &&
            (tags.Count > ImageRules.MaxTags ||
             tags.Any(t => t is null || string.IsNullOrEmpty(t.Key) || t.Key.Length > ImageRules.MaxTagLength || t.Value?.Length > ImageRules.MaxTagLength)))
        {
            errors.Add(ScpErrors.InvalidField("invalid_tags",
                $"tags must be at most {ImageRules.MaxTags} objects with a non-empty key and a value of at most {ImageRules.MaxTagLength} characters."));
        }

        return errors;
    }

    public static Image Build(ImageCreateRequest request, string ownerId, string? accountName, string? userName, string status, DateTime now) => new()
    {
        // Version 7 ids sort by creation time, so the id tie-breaker keeps creation order.
        Id = Guid.CreateVersion7(new DateTimeOffset(now)).ToString(),
        OwnerId = ownerId,
        OwnerAccountName = accountName,
        OwnerUserName = userName,
        Name = request.Name!,
        Status = status,
        Visibility = string.IsNullOrEmpty(request.Visibility) ? ImageVisibility.Private : request.Visibility,
        Protected = request.Protected ?? false,
        MinDisk = request.MinDisk ?? 0,
        MinRam = request.MinRam ?? 0,
        OsDistro = request.OsDistro,
        ContainerFormat = ImageRules.ContainerFormat,
        DiskFormat = ImageRules.DiskFormat,
        Url = request.Url,
        ScpImageType = "custom",
        Tags = request.Tags is { Count: > 0 } tags ? JsonSerializer.Serialize(tags, ScpJson.Options) : null,
        CreatedAt = now,
        UpdatedAt = now,
    };
}
