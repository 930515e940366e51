using ImageService.Api.Versioning;
using ImageService.Protocol;
using ImageService.Protocol.Images;

namespace ImageService.Api.Images;

// Each version's body carries exactly its schema's fields: the SDK rejects unknown keys. viewerId is
// the account that asked: the url's query is shown to the owner's account only (ImageUrls).
internal static class ImageMapping
{
    public static ImageShowResponse ToShowResponse(this Image image, ApiVersion version, string viewerId) =>
        version >= ApiVersion.V1Dot2 ? image.ToV1Dot2(viewerId) : image.ToV1Dot0(viewerId);

    public static ImageShowResponse ToV1Dot0(this Image i, string viewerId) => Fill<ImageShowResponse>(i, viewerId);

    public static ImageShowResponseV1Dot2 ToV1Dot2(this Image i, string viewerId) =>
        Fill<ImageShowResponseV1Dot2>(i, viewerId) with { ScpGpuDriver = i.ScpGpuDriver };

    public static ImageListItemV1Dot3 ToV1Dot3(this Image i, string viewerId) =>
        Fill<ImageListItemV1Dot3>(i, viewerId) with { ScpGpuDriver = i.ScpGpuDriver, ScpSupportedClassTypes = null };

    private static T Fill<T>(Image i, string viewerId)
        where T : ImageShowResponse, new() => new()
        {
            Checksum = i.Checksum,
            ContainerFormat = i.ContainerFormat,
            CreatedAt = Timestamp(i.CreatedAt),
            DiskFormat = i.DiskFormat,
            File = FilePath(i.Id),
            Id = i.Id,
            MinDisk = i.MinDisk,
            MinRam = i.MinRam,
            Name = i.Name,
            OsDistro = i.OsDistro,
            OsHashAlgo = i.OsHashAlgo,
            OsHashValue = i.OsHashValue,
            OsHidden = i.OsHidden,
            Owner = i.OwnerId,
            OwnerAccountName = i.OwnerAccountName,
            OwnerUserName = i.OwnerUserName,
            Protected = i.Protected,
            RootDeviceName = i.RootDeviceName,
            ScpImageType = i.ScpImageType,
            ScpK8sVersion = i.ScpK8sVersion,
            ScpOriginalImageType = i.ScpOriginalImageType,
            ScpOsBuildVersion = i.ScpOsBuildVersion,
            ScpOsVersion = i.ScpOsVersion,
            Size = i.Checksum is null ? null : i.Size,
            Status = i.Status,
            UpdatedAt = Timestamp(i.UpdatedAt),
            Url = ImageUrls.AsSeenBy(i, viewerId),
            VirtualSize = i.VirtualSize,
            Visibility = i.Visibility,
            Volumes = i.Volumes,
        };

    public static string FilePath(string imageId) => $"/v2/images/{imageId}/file";

    public static string Timestamp(DateTime utc) => ScpJson.FormatTimestamp(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));

    // Lists have three shapes: 1.0/1.1, 1.2, and 1.3 whose items add scp_supported_class_types.
    public static IResult ToListResult(this IReadOnlyList<Image> images, ApiVersion version, string viewerId, bool pending = false)
    {
        if (version < ApiVersion.V1Dot2)
        {
            return TypedResults.Ok(new ImageListResponse(images.Select(i => i.ToV1Dot0(viewerId)).ToArray()));
        }

        // List pending Images stays on the 1.2 shape in 1.3 (docs/versions.md).
        return version >= ApiVersion.V1Dot3 && !pending
            ? TypedResults.Ok(new ImageListResponseV1Dot3(images.Select(i => i.ToV1Dot3(viewerId)).ToArray()))
            : TypedResults.Ok(new ImageListResponseV1Dot2(images.Select(i => i.ToV1Dot2(viewerId)).ToArray()));
    }
}
