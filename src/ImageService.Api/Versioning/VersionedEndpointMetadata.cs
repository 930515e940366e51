namespace ImageService.Api.Versioning;

// Marks an endpoint as an SCP operation whose version the lifecycle decides.
internal sealed class VersionedEndpointMetadata
{
    public static readonly VersionedEndpointMetadata Instance = new();
}
