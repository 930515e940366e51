using System.Diagnostics.CodeAnalysis;
using ImageService.Api.Imports.Sources;
using ImageService.Api.Versioning;
using ImageService.Api.Wire;
using ImageService.Protocol.Errors;
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

    // An absolute http(s) URL of at most 255 characters whose path names a .qcow2 file; a query
    // string (a presigned URL) is accepted after the path. The path is read by SourceUrl, the parser
    // the import itself fetches with, so this check and the import policy cannot disagree about it.
    // A URL SourceUrl refuses for its host, user info, fragment or path is well-formed enough here:
    // the import policy then answers with a code that says what to change (url_host_not_canonical…).
    public static bool IsValidUrl([NotNullWhen(true)] string? url)
    {
        if (url is not { Length: > 0 and <= MaxUrlLength })
        {
            return false;
        }

        return SourceUrl.TryParse(url, out var parsed, out var refusal)
            ? SourcePath.NamesQcow2File(parsed.Path)
            : refusal.Code is not (ImportSourceCodes.UrlNotAbsolute or ImportSourceCodes.UrlSchemeNotAllowed or ImportSourceCodes.UrlMalformed);
    }

    public static bool IsValidVisibility(string? visibility) => visibility is ImageVisibility.Private or ImageVisibility.Shared;

    // The fields createImage and updateImage both set, checked the same way for both: null means
    // unset, and so does an empty visibility (the Terraform provider sends "" for unset fields).
    public static void CheckSettable(int? minDisk, int? minRam, string? visibility, List<ScpError> errors)
    {
        if (minDisk is < 0)
        {
            errors.Add(ScpErrors.InvalidField("invalid_min_disk", "min_disk must be 0 or more."));
        }

        if (minRam is < 0 or > MaxMinRam)
        {
            errors.Add(ScpErrors.InvalidField("invalid_min_ram", $"min_ram must be from 0 to {MaxMinRam}."));
        }

        if (!string.IsNullOrEmpty(visibility) && !IsValidVisibility(visibility))
        {
            errors.Add(ScpErrors.InvalidField("invalid_visibility", "visibility must be private or shared."));
        }
    }
}
