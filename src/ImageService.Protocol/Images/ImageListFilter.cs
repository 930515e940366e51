namespace ImageService.Protocol.Images;

/// <summary>The query of listImages; null leaves a parameter out.</summary>
public sealed record ImageListFilter
{
    /// <summary>Page size, 1 to 1000; the service's default is 20.</summary>
    public int? Limit { get; init; }

    /// <summary>The id of the last image of the previous page.</summary>
    public string? Marker { get; init; }

    /// <summary>A comma-separated list of <c>key[:asc|desc]</c>, for example <c>created_at:desc</c>.</summary>
    public string? Sort { get; init; }

    /// <summary>Only images with exactly this name.</summary>
    public string? Name { get; init; }

    /// <summary>Only images in this status: queued, importing, active or killed.</summary>
    public string? Status { get; init; }

    /// <summary>Only images with this visibility: public, community, shared or private.</summary>
    public string? Visibility { get; init; }

    /// <summary>Only images of this OS distribution.</summary>
    public string? OsDistro { get; init; }

    /// <summary>Only images of this image type.</summary>
    public string? ScpImageType { get; init; }

    /// <summary>Only images made from this original image type.</summary>
    public string? ScpOriginalImageType { get; init; }
}
