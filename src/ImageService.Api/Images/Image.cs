namespace ImageService.Api.Images;

internal sealed class Image
{
    public required string Id { get; init; }

    public required string OwnerId { get; init; }

    public string? OwnerAccountName { get; init; }

    public string? OwnerUserName { get; init; }

    public required string Name { get; set; }

    public required string Status { get; set; }

    public required string Visibility { get; set; }

    public bool Protected { get; set; }

    public int MinDisk { get; set; }

    public int MinRam { get; set; }

    public string? OsDistro { get; set; }

    public required string ContainerFormat { get; init; }

    public required string DiskFormat { get; init; }

    public string? Url { get; set; }

    // Checksum, hashes and size are set together, in the transaction that makes the image active;
    // a null checksum means no data is stored, and size then reads as null on the wire.
    public string? Checksum { get; set; }

    public string? OsHashAlgo { get; set; }

    public string? OsHashValue { get; set; }

    // Not nullable so that sorting by size is one indexed order on every provider (SQLite puts NULLs
    // first, PostgreSQL last); images without data sort as 0.
    public long Size { get; set; }

    public long? VirtualSize { get; set; }

    public bool OsHidden { get; set; }

    public string? ScpImageType { get; init; }

    public string? ScpOriginalImageType { get; init; }

    public string? ScpOsVersion { get; init; }

    public string? ScpOsBuildVersion { get; init; }

    public string? ScpK8sVersion { get; init; }

    public string? ScpGpuDriver { get; init; }

    public string? RootDeviceName { get; init; }

    public string? Volumes { get; init; }

    public string? Tags { get; init; }

    public required DateTime CreatedAt { get; init; }

    public required DateTime UpdatedAt { get; set; }
}
