namespace ImageService.Protocol.Images;

/// <summary>A page of images, versions 1.0 and 1.1.</summary>
/// <param name="Images">The images.</param>
public sealed record ImageListResponse(IReadOnlyList<ImageShowResponse> Images);

/// <summary>A page of images, version 1.2 (and pending images from 1.2 on).</summary>
/// <param name="Images">The images.</param>
public sealed record ImageListResponseV1Dot2(IReadOnlyList<ImageShowResponseV1Dot2> Images);

/// <summary>A page of images, version 1.3.</summary>
/// <param name="Images">The images.</param>
public sealed record ImageListResponseV1Dot3(IReadOnlyList<ImageListItemV1Dot3> Images);
