using System.Text.Json.Serialization;

namespace ImageService.Protocol.Images;

/// <summary>The body of updateImage (schema <c>ImageSetRequest</c>, no other fields allowed); null means unchanged.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ImageSetRequest
{
    /// <summary>Minimum disk in GB, at least 0.</summary>
    public int? MinDisk { get; init; }

    /// <summary>Minimum RAM in MB, 0 to 2097151.</summary>
    public int? MinRam { get; init; }

    /// <summary>Whether deletion is refused.</summary>
    public bool? Protected { get; init; }

    /// <summary>private or shared.</summary>
    public string? Visibility { get; init; }
}
