using System.Net;
using System.Net.Http.Headers;
using ImageService.Protocol;
using ImageService.Protocol.Images;

namespace ImageService.Tests.Uploads;

// The two steps of an upload, as a client sends them.
public static class Uploads
{
    public static async Task<ImageShowResponseV1Dot2> CreateForUploadAsync(this HttpClient client, string name = "uploaded")
    {
        using var response = await client.PostAsync("/v2/images", ApiJson.Body(new ImageCreateRequest { Name = name, OsDistro = "ubuntu" }),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<ImageShowResponseV1Dot2>();
    }

    public static Task<HttpResponseMessage> UploadAsync(
        this HttpClient client, string imageId, byte[] bytes, string? checksum = null, long? size = null, bool announceLength = true) =>
        client.UploadAsync(imageId, announceLength ? new ByteArrayContent(bytes) : new StreamContent(new UnseekableStream(bytes)), checksum, size);

    public static Task<HttpResponseMessage> UploadAsync(this HttpClient client, string imageId, HttpContent content, string? checksum = null, long? size = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/v2/images/{imageId}/file") { Content = content };
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        new ExpectedImageData(checksum is null ? null : ImageChecksum.TryParse(checksum, out var c) ? c : null, size).AddTo(request.Headers);
        if (checksum is not null && !ImageChecksum.TryParse(checksum, out _))
        {
            request.Headers.TryAddWithoutValidation(ScpHeaders.ImageChecksum, checksum);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    // A body with no Content-Length (chunked), as a pipe would send it.
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
