namespace ImageService.Api.Images;

internal static class ImageVisibility
{
    public const string Private = "private";
    public const string Shared = "shared";

    // The list filter accepts Glance's whole enum; public and community images cannot be created
    // through this API, so those filters simply match nothing.
    public static readonly string[] FilterValues = ["public", "community", Shared, Private];
}
