using System.Net;
using System.Net.Http.Headers;
using ImageService.Protocol.Images;

namespace ImageService.Protocol;

public sealed partial class ImageServiceClient
{
    private const int UploadBufferSize = 1 << 20;

    /// <summary>
    /// createImageForUpload (<c>POST /v2/images</c>, an extension): registers an image without data, in
    /// status <c>queued</c>, for <see cref="UploadImageFileAsync"/>. The body is createImage's without url.
    /// </summary>
    /// <param name="request">The new image; <see cref="ImageCreateRequest.Url"/> must be null.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<ScpResponse<ImageShowResponseV1Dot2>> CreateImageForUploadAsync(ImageCreateRequest request, CancellationToken cancellationToken = default) =>
        SendAsync<ImageShowResponseV1Dot2>(Request(HttpMethod.Post, "v2/images", request), cancellationToken);

    /// <summary>
    /// uploadImageFile (<c>PUT /v2/images/{id}/file</c>, an extension): streams a qcow2 file to an image
    /// without data. The service checks it as it checks an import and answers once the image is active;
    /// on a refusal the image is killed and the exception carries the import's error code.
    /// </summary>
    /// <param name="imageId">The image id.</param>
    /// <param name="content">The bytes, read once from where they are to the end; its length is sent when it can seek.</param>
    /// <param name="expected">The expected checksum and size; null checks none.</param>
    /// <param name="progress">Told after every chunk sent, on the sending thread; null for none.</param>
    /// <param name="cancellationToken">Cancels the upload; the service then keeps nothing.</param>
    /// <exception cref="ScpApiException">The service refused the upload, or the image's data.</exception>
    public async Task UploadImageFileAsync(
        string imageId, Stream content, ExpectedImageData? expected = null, IProgress<TransferProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var request = Request(HttpMethod.Put, $"v2/images/{Segment(imageId)}/file");
        expected?.AddTo(request.Headers);
        request.Content = new UploadContent(content, progress);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        await SendAsync(request, cancellationToken);
    }

    // The file as it is read, with the progress told after each buffer. Not StreamContent: that one
    // reports nothing, and buffers a non-seekable stream to learn its length.
    private sealed class UploadContent(Stream source, IProgress<TransferProgress>? progress) : HttpContent
    {
        private long? Total => source.CanSeek ? source.Length - source.Position : null;

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var total = Total;
            var buffer = new byte[UploadBufferSize];
            long done = 0;
            progress?.Report(new TransferProgress(0, total));
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                done += read;
                progress?.Report(new TransferProgress(done, total));
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = Total ?? 0;
            return Total is not null;
        }
    }
}
