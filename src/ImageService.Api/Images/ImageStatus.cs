namespace ImageService.Api.Images;

// Glance's image statuses, which SCP reports unchanged.
internal static class ImageStatus
{
    public const string Queued = "queued";
    public const string Importing = "importing";
    public const string Active = "active";
    public const string Killed = "killed";
}
