using System.Runtime.CompilerServices;
using ImageService.Protocol.Images;

namespace ImageService.Protocol;

public sealed partial class ImageServiceClient
{
    /// <summary>listImages: one page of the images the caller owns or has accepted.</summary>
    /// <param name="filter">Paging, sorting and filters; null lists with the service's defaults.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ScpResponse<ImageListResponseV1Dot3>> ListImagesAsync(ImageListFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter ??= new ImageListFilter();
        var query = Query(
            ("limit", Number(filter.Limit)),
            ("marker", filter.Marker),
            ("sort", filter.Sort),
            ("name", filter.Name),
            ("status", filter.Status),
            ("visibility", filter.Visibility),
            ("os_distro", filter.OsDistro),
            ("scp_image_type", filter.ScpImageType),
            ("scp_original_image_type", filter.ScpOriginalImageType));
        return SendAsync<ImageListResponseV1Dot3>(Request(HttpMethod.Get, "v1/images" + query), cancellationToken);
    }

    /// <summary>
    /// listImages, page after page: follows the marker (the last id of each page) until a page comes
    /// back empty, or shorter than <see cref="ImageListFilter.Limit"/> when one is given.
    /// </summary>
    /// <param name="filter">Paging, sorting and filters; <see cref="ImageListFilter.Marker"/> is where to start.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    public async IAsyncEnumerable<ScpResponse<ImageListResponseV1Dot3>> ListImagePagesAsync(
        ImageListFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        filter ??= new ImageListFilter();
        var marker = filter.Marker;
        while (true)
        {
            var page = await ListImagesAsync(filter with { Marker = marker }, cancellationToken);
            yield return page;
            var images = page.Value.Images;
            if (images.Count == 0 || images.Count < filter.Limit || images[^1].Id == marker)
            {
                yield break;
            }

            marker = images[^1].Id;
        }
    }

    /// <summary>createImage: registers an image whose data the service imports from <see cref="ImageCreateRequest.Url"/>.</summary>
    /// <param name="request">The new image.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ScpResponse<ImageShowResponseV1Dot2>> CreateImageAsync(ImageCreateRequest request, CancellationToken cancellationToken = default) =>
        CreateImageAsync(request, null, cancellationToken);

    /// <summary>
    /// createImage with what the data must be: the import ends killed with <c>checksum_mismatch</c> or
    /// <c>size_mismatch</c> when the bytes differ.
    /// </summary>
    /// <param name="request">The new image.</param>
    /// <param name="expected">The expected checksum and size; null checks none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ScpResponse<ImageShowResponseV1Dot2>> CreateImageAsync(
        ImageCreateRequest request, ExpectedImageData? expected, CancellationToken cancellationToken = default)
    {
        var message = Request(HttpMethod.Post, "v1/images", request);
        expected?.AddTo(message.Headers);
        return SendAsync<ImageShowResponseV1Dot2>(message, cancellationToken);
    }

    /// <summary>showImage: one image.</summary>
    /// <param name="imageId">The image id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ScpResponse<ImageShowResponseV1Dot2>> ShowImageAsync(string imageId, CancellationToken cancellationToken = default) =>
        SendAsync<ImageShowResponseV1Dot2>(Request(HttpMethod.Get, $"v1/images/{Segment(imageId)}"), cancellationToken);

    /// <summary>updateImage: changes the fields that are not null in <paramref name="request"/>.</summary>
    /// <param name="imageId">The image id.</param>
    /// <param name="request">The changes.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ScpResponse<ImageShowResponseV1Dot2>> UpdateImageAsync(string imageId, ImageSetRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<ImageShowResponseV1Dot2>(Request(HttpMethod.Put, $"v1/images/{Segment(imageId)}", request), cancellationToken);

    /// <summary>deleteImage: removes an image the caller owns and has not protected.</summary>
    /// <param name="imageId">The image id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task DeleteImageAsync(string imageId, CancellationToken cancellationToken = default) =>
        SendAsync(Request(HttpMethod.Delete, $"v1/images/{Segment(imageId)}"), cancellationToken);

    /// <summary>importImage: asks the service to (re)import the image's data from a URL; the service answers 202 and works in the background.</summary>
    /// <param name="imageId">The image id.</param>
    /// <param name="request">The Object Storage URL of a .qcow2 file.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task ImportImageAsync(string imageId, ImageImportRequest request, CancellationToken cancellationToken = default) =>
        ImportImageAsync(imageId, request, null, cancellationToken);

    /// <summary>importImage with what the data must be (see <see cref="ExpectedImageData"/>).</summary>
    /// <param name="imageId">The image id.</param>
    /// <param name="request">The Object Storage URL of a .qcow2 file.</param>
    /// <param name="expected">The expected checksum and size; null checks none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task ImportImageAsync(string imageId, ImageImportRequest request, ExpectedImageData? expected, CancellationToken cancellationToken = default)
    {
        var message = Request(HttpMethod.Post, $"v1/images/{Segment(imageId)}/import", request);
        expected?.AddTo(message.Headers);
        return SendAsync(message, cancellationToken);
    }

    /// <summary>
    /// showImageImport (<c>GET /v1/images/{id}/import</c>, an addition to the SCP surface): how far the
    /// image's import has come.
    /// </summary>
    /// <param name="imageId">The image id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ScpResponse<Imports.ImportStatusResponse>> ShowImageImportAsync(string imageId, CancellationToken cancellationToken = default) =>
        SendAsync<Imports.ImportStatusResponse>(Request(HttpMethod.Get, $"v1/images/{Segment(imageId)}/import"), cancellationToken);

    /// <summary>listPendingImages: images shared with the caller that it has not accepted or rejected yet.</summary>
    /// <param name="scpImageType">Only images of this type; null for all.</param>
    /// <param name="scpOriginalImageType">Only images made from this original type; null for all.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ScpResponse<ImageListResponseV1Dot2>> ListPendingImagesAsync(
        string? scpImageType = null, string? scpOriginalImageType = null, CancellationToken cancellationToken = default) =>
        SendAsync<ImageListResponseV1Dot2>(
            Request(HttpMethod.Get, "v1/pending-images" + Query(("scp_image_type", scpImageType), ("scp_original_image_type", scpOriginalImageType))),
            cancellationToken);
}
