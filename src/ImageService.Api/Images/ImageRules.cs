using ImageService.Api.Versioning;

namespace ImageService.Api.Images;

// Field rules of ImageCreateRequest and ImageSetRequest, from the spec and the seed pages.
internal static class ImageRules
{
    public const int MaxNameLength = 255;
    public const int MaxUrlLength = 255;
    public const int MaxMinRam = 2097151;
    public const int MaxTags = 50;
    public const int MaxTagLength = 255;
    public const string ContainerFormat = "bare";
    public const string DiskFormat = "qcow2";

    private static readonly string[] OsDistros1Dot0 = ["alma", "centos", "rhel", "rocky", "ubuntu", "windows", "oracle", "sles"];
    private static readonly string[] OsDistros1Dot1 = ["alma", "centos", "rhel", "rocky", "ubuntu", "windows", "oracle"];

    // docs/versions.md: 1.0 accepts sles; 1.1 to 1.3 do not.
    public static IReadOnlyList<string> OsDistros(ApiVersion version) => version >= ApiVersion.V1Dot1 ? OsDistros1Dot1 : OsDistros1Dot0;

    // ^[a-zA-Z0-9-_ ]*$ with 1 to 255 characters.
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ' ');

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
