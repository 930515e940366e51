namespace ImageService.Api.Images;

// The url an image was imported from, as each account may see it. A presigned Object Storage URL
// carries its credentials in the query (X-Amz-Credential, X-Amz-Signature, or Swift's temp_url_sig),
// so the query is a secret of the owner's account, as it is in the logs: everyone else who can see
// the image (members, pending members) gets the URL up to its path (docs/sharing.md).
internal static class ImageUrls
{
    public static string? AsSeenBy(Image image, string viewerId) =>
        image.OwnerId == viewerId || image.Url is null ? image.Url : WithoutQuery(image.Url);

    // Cut at the first '?' or '#': a client-given URL may carry either, and neither names the object.
    public static string WithoutQuery(string url)
    {
        var end = url.AsSpan().IndexOfAny('?', '#');
        return end < 0 ? url : url[..end];
    }
}
