namespace ImageService.Protocol.Images;

/// <summary>An image as versions 1.0 and 1.1 show it (schema <c>ImageShowResponse</c>).</summary>
public record ImageShowResponse
{
    /// <summary>MD5 of the stored data, hex; null until the data is stored.</summary>
    public string? Checksum { get; init; }

    /// <summary>Always <c>bare</c>.</summary>
    public string ContainerFormat { get; init; } = "";

    /// <summary>RFC 3339 UTC timestamp.</summary>
    public string CreatedAt { get; init; } = "";

    /// <summary>Always <c>qcow2</c>.</summary>
    public string DiskFormat { get; init; } = "";

    /// <summary>The path that serves the stored bytes.</summary>
    public string File { get; init; } = "";

    /// <summary>The image id.</summary>
    public string Id { get; init; } = "";

    /// <summary>Minimum disk in GB.</summary>
    public int MinDisk { get; init; }

    /// <summary>Minimum RAM in MB.</summary>
    public int MinRam { get; init; }

    /// <summary>The image name.</summary>
    public string Name { get; init; } = "";

    /// <summary>The OS distribution.</summary>
    public string? OsDistro { get; init; }

    /// <summary><c>sha512</c> once the data is stored.</summary>
    public string? OsHashAlgo { get; init; }

    /// <summary>SHA-512 of the stored data, hex.</summary>
    public string? OsHashValue { get; init; }

    /// <summary>Whether the image is hidden from default lists.</summary>
    public bool OsHidden { get; init; }

    /// <summary>The owning account id.</summary>
    public string Owner { get; init; } = "";

    /// <summary>The owning account's name.</summary>
    public string? OwnerAccountName { get; init; }

    /// <summary>The user who created the image.</summary>
    public string? OwnerUserName { get; init; }

    /// <summary>Whether deletion is refused.</summary>
    public bool Protected { get; init; }

    /// <summary>The root device name.</summary>
    public string? RootDeviceName { get; init; }

    /// <summary><c>custom</c> for images created through the API.</summary>
    public string? ScpImageType { get; init; }

    /// <summary>The Kubernetes version, for node images.</summary>
    public string? ScpK8sVersion { get; init; }

    /// <summary>The image type this one was made from.</summary>
    public string? ScpOriginalImageType { get; init; }

    /// <summary>The OS build version.</summary>
    public string? ScpOsBuildVersion { get; init; }

    /// <summary>The OS version.</summary>
    public string? ScpOsVersion { get; init; }

    /// <summary>Stored size in bytes; null until the data is stored.</summary>
    public long? Size { get; init; }

    /// <summary>queued, importing, active, killed, deleted.</summary>
    public string Status { get; init; } = "";

    /// <summary>RFC 3339 UTC timestamp.</summary>
    public string UpdatedAt { get; init; } = "";

    /// <summary>The Object Storage URL the data came from.</summary>
    public string? Url { get; init; }

    /// <summary>The disk size the qcow2 presents to a guest, in bytes.</summary>
    public long? VirtualSize { get; init; }

    /// <summary>private or shared.</summary>
    public string Visibility { get; init; } = "";

    /// <summary>Block device mapping, as a JSON string.</summary>
    public string? Volumes { get; init; }
}

/// <summary>An image as versions 1.2 and later show it: adds <c>scp_gpu_driver</c>.</summary>
public record ImageShowResponseV1Dot2 : ImageShowResponse
{
    /// <summary>The GPU driver version baked into the image.</summary>
    public string? ScpGpuDriver { get; init; }
}

/// <summary>A list item in version 1.3: adds <c>scp_supported_class_types</c>.</summary>
public sealed record ImageListItemV1Dot3 : ImageShowResponseV1Dot2
{
    /// <summary>
    /// The server class types the image can boot on. A string, as the 1.3 SDK's model declares it
    /// (its strict decoder fails a whole list on any other JSON type); null when not restricted.
    /// </summary>
    public string? ScpSupportedClassTypes { get; init; }
}
