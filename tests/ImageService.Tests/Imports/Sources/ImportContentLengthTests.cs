namespace ImageService.Tests.Imports.Sources;

// RFC 9110 §8.6 and RFC 9112 §6.3: a Content-Length that is not one non-negative integer leaves the
// body's end unknown, and the answer must not be used. Each of these bodies is a valid qcow2 that
// would otherwise become an active image.
public sealed class ImportContentLengthTests : IAsyncLifetime
{
    private readonly DiskImages _disks = new();
    private readonly RawHttpSource _source = new();
    private ImageServiceApp _app = null!;
    private byte[] _image = [];

    public async ValueTask InitializeAsync()
    {
        _image = await File.ReadAllBytesAsync(_disks.Qcow2WithData("framed.qcow2", 64 << 10, seed: 41), TestContext.Current.CancellationToken);
        _app = ImageServiceApp.Create(settings: new Dictionary<string, string?>
        {
            ["Import:RunWorker"] = "true",
            ["Import:AllowedSources:1"] = _source.Origin + "/",
            ["Import:PollInterval"] = "00:00:00.200",
            ["Import:ReadIdleTimeout"] = "00:00:05",
        });
    }

    public static TheoryData<string> MalformedLengths => new()
    {
        "Content-Length: -5\r\n",
        "Content-Length: 5, 6\r\n",
        "Content-Length: 100\r\nContent-Length: 200\r\n",
        "Content-Length: abc\r\n",
        "Content-Length: +{length}\r\n",
        "Content-Length: 0x10\r\n",
        "Content-Length: {length}.0\r\n",
        "Content-Length: 99999999999999999999999\r\n",
    };

    [Theory]
    [MemberData(nameof(MalformedLengths))]
    public async Task CreateImage_SourceContentLengthNotOneNonNegativeInteger_EndsKilledAsSourceHttpError(string header)
    {
        var url = _source.Answer($"/bucket/{Guid.NewGuid():N}.qcow2", header.Replace("{length}", $"{_image.Length}", StringComparison.Ordinal), _image);
        using var client = await _app.CreateAccountClientAsync();

        var image = await client.WaitForImportAsync((await client.CreateFromAsync(url)).Id);
        var status = await client.ImportStatusAsync(image.Id);

        Assert.Equal("killed", image.Status);
        Assert.Equal("source_http_error", status.Error?.Code);
        Assert.Empty(await _app.StoredDataOfAsync(image.Id));
    }

    [Fact]
    public async Task CreateImage_SourceContentLengthCorrect_Imports()
    {
        var url = _source.Answer("/bucket/good.qcow2", $"Content-Length: {_image.Length}\r\n", _image);
        using var client = await _app.CreateAccountClientAsync();

        var image = await client.WaitForImportAsync((await client.CreateFromAsync(url)).Id);

        Assert.Equal("active", image.Status);
        Assert.Equal(_image.Length, image.Size);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _source.DisposeAsync();
        _disks.Dispose();
    }
}
