namespace ImageService.Protocol.Images;

/// <summary>The body of importImage (schema <c>ImageImportRequest</c>).</summary>
/// <param name="Url">The Object Storage URL of a .qcow2 file.</param>
public sealed record ImageImportRequest(string? Url);
