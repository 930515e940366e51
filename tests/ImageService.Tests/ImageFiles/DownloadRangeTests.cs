using System.Net;
using System.Net.Http.Headers;
using ImageService.Protocol.Images;
using ImageService.Tests.Imports;

namespace ImageService.Tests.ImageFiles;

// downloadImageFile answers Range requests the same from files (sendfile) and from S3 (a ranged
// GET of exactly the asked bytes), with the image's md5 as a strong ETag.
public sealed class DownloadRangeTests(ImportFixture fixture) : IClassFixture<ImportFixture>, IAsyncLifetime
{
    private byte[] _source = [];
    private ImageShowResponseV1Dot2 _image = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        var file = fixture.Disks.Qcow2WithData("ranges.qcow2", 1 << 20, seed: 21);
        _source = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        _client = await fixture.App.CreateAccountClientAsync();
        _image = await _client.WaitForImportAsync((await _client.CreateFromAsync(fixture.Storage.ServeFile("/bucket/ranges.qcow2", file))).Id);
        Assert.Equal("active", _image.Status);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task DownloadImageFile_SuffixRange_ReturnsTheLastBytes()
    {
        using var response = await SendAsync(r => r.Headers.Range = new RangeHeaderValue(null, 500));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(_source[^500..], await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal($"bytes {_source.Length - 500}-{_source.Length - 1}/{_source.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(500, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task DownloadImageFile_OpenEndedRange_ReturnsTheRestFromTheOffset()
    {
        using var response = await SendAsync(r => r.Headers.Range = new RangeHeaderValue(_source.Length - 70_000, null));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(_source[^70_000..], await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DownloadImageFile_IfRangeWithTheCurrentETag_ReturnsTheRange()
    {
        using var response = await SendAsync(r =>
        {
            r.Headers.Range = new RangeHeaderValue(10, 19);
            r.Headers.IfRange = new RangeConditionHeaderValue($"\"{_image.Checksum}\"");
        });

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(_source[10..20], await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DownloadImageFile_IfRangeWithAnotherETag_ReturnsTheWholeImage()
    {
        using var response = await SendAsync(r =>
        {
            r.Headers.Range = new RangeHeaderValue(10, 19);
            r.Headers.IfRange = new RangeConditionHeaderValue("\"0123456789abcdef0123456789abcdef\"");
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_source, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DownloadImageFile_SeveralRanges_ReturnsTheWholeImage()
    {
        using var response = await SendAsync(r =>
        {
            r.Headers.Range = new RangeHeaderValue(0, 9);
            r.Headers.Range.Ranges.Add(new RangeItemHeaderValue(100, 109));
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_source, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task DownloadImageFile_IfNoneMatchTheETag_Returns304()
    {
        using var response = await SendAsync(r => r.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{_image.Checksum}\"")));

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Fact]
    public async Task DownloadImageFile_Head_AnswersLengthAndETagWithoutBody()
    {
        using var response = await SendAsync(r => r.Method = HttpMethod.Head);
        using var ranged = await SendAsync(r =>
        {
            r.Method = HttpMethod.Head;
            r.Headers.Range = new RangeHeaderValue(0, 99);
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_source.Length, response.Content.Headers.ContentLength);
        Assert.Equal($"\"{_image.Checksum}\"", response.Headers.ETag?.Tag);
        Assert.Equal("bytes", string.Join(",", response.Headers.AcceptRanges));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.PartialContent, ranged.StatusCode);
        Assert.Equal(100, ranged.Content.Headers.ContentLength);
    }

    private async Task<HttpResponseMessage> SendAsync(Action<HttpRequestMessage> shape)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _image.File);
        shape(request);
        return await _client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
