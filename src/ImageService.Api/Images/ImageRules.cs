using ImageService.Api.Versioning;
using ImageService.Protocol.Images;

namespace ImageService.Api.Images;

// Field rules of ImageCreateRequest and ImageSetRequest, from the spec and the seed pages.
internal static class ImageRules
{
    public const int MaxUrlLength = 255;
    public const int MaxMinRam = 2097151;
    public const int MaxTags = 50;
    public const int MaxTagLength = 255;
    public const string ContainerFormat = "bare";
    public const string DiskFormat = "qcow2";

    // docs/versions.md: 1.0 accepts sles; 1.1 to 1.3 do not. Protocol holds the lists, which imagectl checks too.
    public static IReadOnlyList<string> OsDistros(ApiVersion version) => ImageFieldRules.OsDistros(version.Major, version.Minor);

    // An absolute http(s) URL of at most 255 characters whose path names a .qcow2 file. The spec's
    // pattern is .*\.qcow2$; a query string (a presigned URL) is accepted after the path.
    public static bool IsValidUrl(string? url) =>
        url is { Length: > 0 and <= MaxUrlLength } &&
        Uri.TryCreate(url, UriKind.Absolute, out var uri) &&
        (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) &&
        uri.AbsolutePath.EndsWith(".qcow2", StringComparison.Ordinal) &&
        uri.AbsolutePath[(uri.AbsolutePath.LastIndexOf('/') + 1)..].Length > ".qcow2".Length;

    public static bool IsValidVisibility(string? visibility) => visibility is ImageVisibility.Private or ImageVisibility.Shared;
}
