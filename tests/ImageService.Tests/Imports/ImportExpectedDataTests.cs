using System.Net;
using ImageService.Protocol;
using ImageService.Protocol.Images;

namespace ImageService.Tests.Imports;

// Issue 13, item 1: X-Image-Checksum and X-Image-Size on createImage and importImage, checked by the
// real pipeline against real qcow2 files from the loopback source.
public sealed class ImportExpectedDataTests(ImportFixture fixture) : IClassFixture<ImportFixture>
{
    private static readonly Dictionary<string, string> Tools = new() { ["md5"] = "md5sum", ["sha256"] = "sha256sum", ["sha512"] = "sha512sum" };

    private ImageServiceApp App => fixture.App;

    public static TheoryData<string> Algorithms => new("md5", "sha256", "sha512");

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task CreateImage_RightChecksumAndSize_BecomesActiveAndTheStatusSaysWhatWasVerified(string algorithm)
    {
        var (file, url) = Serve($"right-{algorithm}", seed: 41);
        var checksum = $"{algorithm}:{DiskImages.HashWith(Tools[algorithm], file)}";
        var size = new FileInfo(file).Length;
        using var client = await App.CreateAccountClientAsync();

        var image = await client.WaitForImportAsync((await CreateAsync(client, url, checksum, size.ToString(System.Globalization.CultureInfo.InvariantCulture))).Id);
        var status = await client.ImportStatusAsync(image.Id);

        Assert.Equal("active", image.Status);
        Assert.Equal(DiskImages.HashWith("md5sum", file), image.Checksum);
        Assert.Equal((checksum, size), (status.ExpectedChecksum, status.ExpectedSize));
        Assert.Equal((checksum, size), (status.VerifiedChecksum, status.VerifiedSize));
    }

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task CreateImage_WrongChecksum_EndsKilledWithChecksumMismatchNamingBothValuesAndKeepsNothing(string algorithm)
    {
        var (file, url) = Serve($"wrong-{algorithm}", seed: 42);
        var actual = DiskImages.HashWith(Tools[algorithm], file);
        var wrong = new string('0', actual.Length);
        using var client = await App.CreateAccountClientAsync();

        var image = await client.WaitForImportAsync((await CreateAsync(client, url, $"{algorithm.ToUpperInvariant()}:{wrong}", null)).Id);
        var status = await client.ImportStatusAsync(image.Id);

        Assert.Equal("killed", image.Status);
        Assert.Equal("checksum_mismatch", status.Error?.Code);
        Assert.Contains(algorithm, status.Error!.Detail, StringComparison.Ordinal);
        Assert.Contains(actual, status.Error.Detail, StringComparison.Ordinal);
        Assert.Contains(wrong, status.Error.Detail, StringComparison.Ordinal);
        Assert.Null(status.VerifiedChecksum);
        Assert.Null(image.Checksum);
        Assert.Empty(await App.StoredDataOfAsync(image.Id));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(-100_000)]
    public async Task CreateImage_WrongSize_EndsKilledWithSizeMismatchAndKeepsNothing(int offBy)
    {
        var (file, url) = Serve($"size-{offBy}", seed: 43);
        var size = new FileInfo(file).Length;
        using var client = await App.CreateAccountClientAsync();

        var image = await client.WaitForImportAsync((await CreateAsync(client, url, null, (size + offBy).ToString(System.Globalization.CultureInfo.InvariantCulture))).Id);
        var status = await client.ImportStatusAsync(image.Id);

        Assert.Equal("killed", image.Status);
        Assert.Equal("size_mismatch", status.Error?.Code);
        Assert.Contains((size + offBy).ToString(System.Globalization.CultureInfo.InvariantCulture), status.Error!.Detail, StringComparison.Ordinal);
        Assert.Empty(await App.StoredDataOfAsync(image.Id));
    }

    [Fact]
    public async Task ImportImage_KilledImageWithTheRightChecksum_BecomesActive()
    {
        var (file, url) = Serve("reimport", seed: 44);
        var sha256 = DiskImages.HashWith("sha256sum", file);
        using var client = await App.CreateAccountClientAsync();
        var killed = await client.WaitForImportAsync((await CreateAsync(client, url, $"sha256:{new string('1', 64)}", null)).Id);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/images/{killed.Id}/import") { Content = ApiJson.Body(new ImageImportRequest(url)) };
        request.Headers.Add(ScpHeaders.ImageChecksum, $"sha256:{sha256}");
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var image = await client.WaitForImportAsync(killed.Id);

        Assert.Equal("killed", killed.Status);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("active", image.Status);
        Assert.Equal($"sha256:{sha256}", (await client.ImportStatusAsync(image.Id)).VerifiedChecksum);
    }

    public static TheoryData<string?, string?, string> Malformed => new()
    {
        { "sha256", null, "invalid_checksum" },
        { "sha1:" + new string('a', 40), null, "invalid_checksum" },
        { "sha256:" + new string('a', 63), null, "invalid_checksum" },
        { "sha256:" + new string('g', 64), null, "invalid_checksum" },
        { "md5:" + new string('a', 64), null, "invalid_checksum" },
        { ":" + new string('a', 32), null, "invalid_checksum" },
        { null, "-5", "invalid_size" },
        { null, "+5", "invalid_size" },
        { null, "0x10", "invalid_size" },
        { null, "1 2", "invalid_size" },
        { null, "ten", "invalid_size" },
        { null, "99999999999999999999", "invalid_size" },
        { null, (1L << 31).ToString(System.Globalization.CultureInfo.InvariantCulture), "invalid_size" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task CreateAndImportImage_MalformedHeader_Answer400AtOnceAndStoreNothing(string? checksum, string? size, string code)
    {
        using var client = await App.CreateAccountClientAsync();
        var url = fixture.Storage.Url("/bucket/expected/never-read.qcow2");
        var killed = await client.WaitForImportAsync((await client.CreateFromAsync(url)).Id);
        var requestsBefore = fixture.Storage.Requests;

        using var create = await SendAsync(client, HttpMethod.Post, "/v1/images",
            new ImageCreateRequest { Name = "malformed", OsDistro = "ubuntu", Url = url }, checksum, size);
        using var import = await SendAsync(client, HttpMethod.Post, $"/v1/images/{killed.Id}/import", new ImageImportRequest(url), checksum, size);
        var list = await client.GetFromJsonObjectAsync("/v1/images");

        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.Equal([code], await create.ErrorCodesAsync());
        Assert.Equal(HttpStatusCode.BadRequest, import.StatusCode);
        Assert.Equal([code], await import.ErrorCodesAsync());
        Assert.Single(list["images"]!.AsArray());
        Assert.Equal("killed", (await client.WaitForImportAsync(killed.Id)).Status);
        Assert.Equal(requestsBefore, fixture.Storage.Requests);
    }

    [Fact]
    public async Task CreateImage_ChecksumHeaderTwice_Answers400()
    {
        using var client = await App.CreateAccountClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/images")
        {
            Content = ApiJson.Body(new ImageCreateRequest { Name = "twice", OsDistro = "ubuntu", Url = fixture.Storage.Url("/bucket/x.qcow2") }),
        };
        request.Headers.Add(ScpHeaders.ImageChecksum, ["md5:" + new string('a', 32), "md5:" + new string('b', 32)]);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["invalid_checksum"], await response.ErrorCodesAsync());
    }

    private (string File, string Url) Serve(string name, int seed)
    {
        var file = fixture.Disks.Qcow2WithData($"expected-{name}.qcow2", 1 << 20, seed);
        return (file, fixture.Storage.ServeFile($"/bucket/expected/{name}.qcow2", file));
    }

    private static async Task<ImageShowResponseV1Dot2> CreateAsync(HttpClient client, string url, string? checksum, string? size)
    {
        using var response = await SendAsync(client, HttpMethod.Post, "/v1/images", new ImageCreateRequest { Name = "expected", OsDistro = "ubuntu", Url = url }, checksum, size);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<ImageShowResponseV1Dot2>();
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object body, string? checksum, string? size)
    {
        var request = new HttpRequestMessage(method, path) { Content = ApiJson.Body(body) };
        if (checksum is not null)
        {
            request.Headers.TryAddWithoutValidation(ScpHeaders.ImageChecksum, checksum);
        }

        if (size is not null)
        {
            request.Headers.TryAddWithoutValidation(ScpHeaders.ImageSize, size);
        }

        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
