using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using ImageService.Protocol.Images;

namespace ImageService.Protocol;

public sealed partial class ImageServiceClient
{
    private const int CopyBufferSize = 128 * 1024;

    /// <summary>
    /// Downloads an image's bytes (<c>GET /v2/images/{id}/file</c>) into <paramref name="destination"/>,
    /// streaming, and checks them against the service's MD5 entity tag when it sends one.
    /// </summary>
    /// <param name="imageId">The image id.</param>
    /// <param name="destination">Where the bytes go; the caller owns it.</param>
    /// <param name="progress">Told after every chunk, on the downloading thread; null for none.</param>
    /// <param name="cancellationToken">Cancels the download.</param>
    /// <exception cref="ScpApiException">The service refused (for example 404, or 409 while the image has no data).</exception>
    /// <exception cref="InvalidDataException">The bytes' MD5 is not the entity tag the service sent.</exception>
    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "MD5 is the image checksum the API defines (Glance's checksum, the file's ETag); it detects corruption, not tampering.")]
    public async Task<ImageFileDownload> DownloadImageFileAsync(
        string imageId, Stream destination, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var request = Request(HttpMethod.Get, $"v2/images/{Segment(imageId)}/file");
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/octet-stream"));
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw ScpApiException.FromResponse(response.StatusCode, body);
        }

        var total = response.Content.Headers.ContentLength;
        var etag = response.Headers.ETag is { IsWeak: false } tag ? tag.Tag.Trim('"') : null;
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        long done = 0;
        try
        {
            await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
            progress?.Report(new TransferProgress(0, total));
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, CopyBufferSize), cancellationToken)) > 0)
            {
                md5.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                done += read;
                progress?.Report(new TransferProgress(done, total));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        var hash = Convert.ToHexStringLower(md5.GetHashAndReset());

        // Only an MD5-shaped strong tag is a checksum; any other tag is opaque and not compared.
        if (etag is { Length: 32 } && etag.All(char.IsAsciiHexDigit) && !string.Equals(etag, hash, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"The downloaded bytes have MD5 {hash}, but the service's ETag says {etag}: the transfer was corrupted.");
        }

        return new ImageFileDownload(done, hash, etag);
    }
}
