namespace ImageService.Protocol.Images;

/// <summary>The body of createImage (schema <c>ImageCreateRequest</c>).</summary>
public sealed record ImageCreateRequest
{
    /// <summary><c>bare</c>; empty or absent means the default.</summary>
    public string? ContainerFormat { get; init; }

    /// <summary><c>qcow2</c>; empty or absent means the default.</summary>
    public string? DiskFormat { get; init; }

    /// <summary>Minimum disk in GB, at least 0.</summary>
    public int? MinDisk { get; init; }

    /// <summary>Minimum RAM in MB, 0 to 2097151.</summary>
    public int? MinRam { get; init; }

    /// <summary>1 to 255 of letters, digits, '-', '_' and space.</summary>
    public string? Name { get; init; }

    /// <summary>One of the version's OS distributions.</summary>
    public string? OsDistro { get; init; }

    /// <summary>Whether deletion is refused; default false.</summary>
    public bool? Protected { get; init; }

    /// <summary>Key/value tags.</summary>
    public IReadOnlyList<Tag>? Tags { get; init; }

    /// <summary>The Object Storage URL of a .qcow2 file.</summary>
    public string? Url { get; init; }

    /// <summary>private (default) or shared.</summary>
    public string? Visibility { get; init; }
}

/// <summary>A key/value tag.</summary>
/// <param name="Key">The key.</param>
/// <param name="Value">The value; may be null.</param>
public sealed record Tag(string? Key, string? Value);
