using System.Net;
using System.Text.Json.Nodes;

namespace ImageService.Tests.Images;

// Every rule of ImageCreateRequest (the spec's schema and the seed pages), in version 1.3.
public sealed class CreateImageValidationTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> InvalidNames => new()
    {
        "",
        new string('a', 256),
        "a/b",
        "a.b",
        "image.qcow2",
        "ä",
        "名前",
        "tab\there",
        "new\nline",
        "semi;colon",
        "percent%20",
    };

    public static TheoryData<string> InvalidUrls => new()
    {
        "",
        "https://object-store.example.com/" + new string('b', 255 - "https://object-store.example.com/.qcow2".Length + 1) + ".qcow2",
        "ftp://object-store.example.com/bucket/image.qcow2",
        "file:///bucket/image.qcow2",
        "https://object-store.example.com/bucket/image.img",
        "https://object-store.example.com/bucket/image.qcow2.gz",
        "https://object-store.example.com/bucket/image.QCOW2",
        "https://object-store.example.com/bucket/.qcow2",
        "https://object-store.example.com/bucket/image.qcow2/",
        "/bucket/image.qcow2",
        "bucket/image.qcow2",
        "object-store.example.com/bucket/image.qcow2",
        "https:///image.qcow2",
        "not a url.qcow2",
    };

    [Theory]
    [InlineData(null)]
    [MemberData(nameof(InvalidNames))]
    public async Task CreateImage_InvalidName_Returns400InvalidName(string? name)
    {
        using var client = await app.CreateAccountClientAsync();
        var body = ImageRequests.CreateJson().With("name", name);

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(body), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_name");
    }

    [Fact]
    public async Task CreateImage_NameMissing_Returns400InvalidName()
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().Without("name")), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_name");
    }

    [Theory]
    [InlineData("a")]
    [InlineData("Image-1_with spaces")]
    [InlineData("-_ ")]
    [InlineData("0123456789")]
    public async Task CreateImage_NameOfAllowedCharacters_Returns200WithThatName(string name)
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With("name", name)), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(name, (await response.ReadObjectAsync())["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateImage_NameOf255Characters_Returns200()
    {
        using var client = await app.CreateAccountClientAsync();
        var name = new string('n', 255);

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With("name", name)), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(name, (await response.ReadObjectAsync())["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("debian")]
    [InlineData("Ubuntu")]
    [InlineData("ubuntu ")]
    [InlineData("sles")]
    public async Task CreateImage_OsDistroMissingOrUnknown_Returns400InvalidOsDistro(string? osDistro)
    {
        using var client = await app.CreateAccountClientAsync();
        var body = ImageRequests.CreateJson().With("os_distro", osDistro);

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(body), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_os_distro");
    }

    [Fact]
    public async Task CreateImage_OsDistroAbsent_Returns400InvalidOsDistro()
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().Without("os_distro")), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_os_distro");
    }

    [Theory]
    [InlineData("alma")]
    [InlineData("centos")]
    [InlineData("rhel")]
    [InlineData("rocky")]
    [InlineData("ubuntu")]
    [InlineData("windows")]
    [InlineData("oracle")]
    public async Task CreateImage_OsDistroOfVersion1Dot3_Returns200(string osDistro)
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With("os_distro", osDistro)), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(osDistro, (await response.ReadObjectAsync())["os_distro"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null)]
    [MemberData(nameof(InvalidUrls))]
    public async Task CreateImage_InvalidUrl_Returns400InvalidUrl(string? url)
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With("url", url)), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_url");
    }

    [Fact]
    public async Task CreateImage_UrlMissing_Returns400InvalidUrl()
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().Without("url")), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_url");
    }

    [Theory]
    [InlineData("http://object-store.example.com/bucket/image.qcow2")]
    [InlineData("https://object-store.kr-west1.s.samsungsdscloud.com/8989447062e04a818baf9e073fd04fa7/bucket/object.qcow2")]
    [InlineData("https://object-store.example.com/bucket/image.qcow2?X-Amz-Signature=abc")]
    public async Task CreateImage_HttpUrlOfQcow2File_Returns200EchoingUrl(string url)
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With("url", url)), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(url, (await response.ReadObjectAsync())["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateImage_UrlOf255Characters_Returns200()
    {
        using var client = await app.CreateAccountClientAsync();
        var prefix = "https://object-store.example.com/";
        var url = prefix + new string('b', 255 - prefix.Length - ".qcow2".Length) + ".qcow2";

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With("url", url)), Ct);

        Assert.Equal(255, url.Length);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("min_disk", -1, "invalid_min_disk")]
    [InlineData("min_disk", int.MinValue, "invalid_min_disk")]
    [InlineData("min_ram", -1, "invalid_min_ram")]
    [InlineData("min_ram", 2097152, "invalid_min_ram")]
    [InlineData("min_ram", int.MaxValue, "invalid_min_ram")]
    public async Task CreateImage_NumberOutOfRange_Returns400(string field, int value, string code)
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With(field, value)), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData("min_disk", 0)]
    [InlineData("min_disk", int.MaxValue)]
    [InlineData("min_ram", 0)]
    [InlineData("min_ram", 2097151)]
    public async Task CreateImage_NumberAtItsBound_Returns200(string field, int value)
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With(field, value)), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(value, (await response.ReadObjectAsync())[field]!.GetValue<int>());
    }

    [Theory]
    [InlineData("min_disk", "\"10\"")]
    [InlineData("min_disk", "1.5")]
    [InlineData("min_disk", "3000000000")]
    [InlineData("min_disk", "true")]
    [InlineData("min_ram", "\"0\"")]
    [InlineData("min_ram", "[]")]
    [InlineData("protected", "\"false\"")]
    [InlineData("protected", "0")]
    [InlineData("name", "5")]
    [InlineData("name", "{}")]
    [InlineData("url", "[\"https://h/x.qcow2\"]")]
    [InlineData("visibility", "false")]
    [InlineData("tags", "\"key=value\"")]
    [InlineData("tags", "{\"key\":\"k\"}")]
    [InlineData("tags", "[{\"key\":1}]")]
    [InlineData("tags", "[\"k\"]")]
    public async Task CreateImage_WrongJsonType_Returns400InvalidBody(string field, string json)
    {
        using var client = await app.CreateAccountClientAsync();
        var body = ImageRequests.CreateJson().With(field, JsonNode.Parse(json));

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(body), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_body");
    }

    [Theory]
    [InlineData("visibility", "public", "invalid_visibility")]
    [InlineData("visibility", "community", "invalid_visibility")]
    [InlineData("visibility", "Private", "invalid_visibility")]
    [InlineData("visibility", "private|shared", "invalid_visibility")]
    [InlineData("container_format", "ovf", "invalid_container_format")]
    [InlineData("container_format", "Bare", "invalid_container_format")]
    [InlineData("disk_format", "raw", "invalid_disk_format")]
    [InlineData("disk_format", "QCOW2", "invalid_disk_format")]
    public async Task CreateImage_UnknownEnumValue_Returns400(string field, string value, string code)
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With(field, value)), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, code);
    }

    // The Terraform provider sends "" for every optional string it was not given.
    [Fact]
    public async Task CreateImage_EmptyStringsForOptionalFields_AppliesDefaults()
    {
        using var client = await app.CreateAccountClientAsync();
        var body = ImageRequests.CreateJson().With("visibility", "").With("container_format", "").With("disk_format", "");

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(body), Ct);
        var image = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("private", image["visibility"]!.GetValue<string>());
        Assert.Equal("bare", image["container_format"]!.GetValue<string>());
        Assert.Equal("qcow2", image["disk_format"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateImage_NullsForOptionalFields_AppliesDefaults()
    {
        using var client = await app.CreateAccountClientAsync();
        var body = ImageRequests.CreateJson();
        foreach (var field in new[] { "visibility", "container_format", "disk_format", "min_disk", "min_ram", "protected", "tags" })
        {
            body.With(field, null);
        }

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(body), Ct);
        var image = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("private", image["visibility"]!.GetValue<string>());
        Assert.Equal("bare", image["container_format"]!.GetValue<string>());
        Assert.Equal("qcow2", image["disk_format"]!.GetValue<string>());
        Assert.Equal(0, image["min_disk"]!.GetValue<int>());
        Assert.Equal(0, image["min_ram"]!.GetValue<int>());
        Assert.False(image["protected"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CreateImage_SeedPageExample_Returns200WithTheGivenFields()
    {
        var credentials = await app.CreateAccountAsync("seed-example-account", "AccountName", "user@samsung.com");
        using var client = app.CreateSignedClient(credentials);
        var body = JsonNode.Parse("""
            {
                "container_format": "bare",
                "disk_format": "qcow2",
                "min_disk": 100,
                "min_ram": 0,
                "name": "imagename",
                "os_distro": "alma",
                "protected": false,
                "tags": [ { "key": "key", "value": "value" } ],
                "url": "https://object-store.kr-west1.s.samsungsdscloud.com/8989447062e04a818baf9e073fd04fa7/bucket/object.qcow2",
                "visibility": "private"
            }
            """)!;

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(body), Ct);
        var image = await response.ReadObjectAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("imagename", image["name"]!.GetValue<string>());
        Assert.Equal("alma", image["os_distro"]!.GetValue<string>());
        Assert.Equal(100, image["min_disk"]!.GetValue<int>());
        Assert.Equal("importing", image["status"]!.GetValue<string>());
        Assert.Equal("custom", image["scp_image_type"]!.GetValue<string>());
        Assert.Equal("seed-example-account", image["owner"]!.GetValue<string>());
        Assert.Equal("AccountName", image["owner_account_name"]!.GetValue<string>());
        Assert.Equal("user@samsung.com", image["owner_user_name"]!.GetValue<string>());
        Assert.Null(image["size"]);
        Assert.Null(image["checksum"]);
    }

    [Theory]
    [InlineData("shared", true)]
    [InlineData("private", false)]
    public async Task CreateImage_VisibilityAndProtected_AreStored(string visibility, bool isProtected)
    {
        using var client = await app.CreateAccountClientAsync();
        var body = ImageRequests.CreateJson().With("visibility", visibility).With("protected", isProtected);

        using var created = await client.PostAsync("/v1/images", ApiJson.Body(body), Ct);
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<string>();
        var shown = await client.GetFromJsonObjectAsync($"/v1/images/{id}");

        Assert.Equal(visibility, shown["visibility"]!.GetValue<string>());
        Assert.Equal(isProtected, shown["protected"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("[{\"key\":\"\",\"value\":\"v\"}]")]
    [InlineData("[{\"value\":\"v\"}]")]
    [InlineData("[{\"key\":null,\"value\":\"v\"}]")]
    [InlineData("[null]")]
    public async Task CreateImage_TagWithoutKey_Returns400InvalidTags(string tags)
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With("tags", JsonNode.Parse(tags))), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_tags");
    }

    [Theory]
    [InlineData(51, 1, 1)]
    [InlineData(1, 256, 1)]
    [InlineData(1, 1, 256)]
    public async Task CreateImage_TagsBeyondLimits_Returns400InvalidTags(int count, int keyLength, int valueLength)
    {
        using var client = await app.CreateAccountClientAsync();
        var tags = new JsonArray(Enumerable.Range(0, count)
            .Select(i => (JsonNode)new JsonObject { ["key"] = new string('k', keyLength - 1) + (char)('a' + (i % 26)), ["value"] = new string('v', valueLength) })
            .ToArray());

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With("tags", tags)), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_tags");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[{\"key\":\"k\"}]")]
    [InlineData("[{\"key\":\"k\",\"value\":null}]")]
    [InlineData("[{\"key\":\"a\",\"value\":\"1\"},{\"key\":\"b\",\"value\":\"2\"}]")]
    public async Task CreateImage_ValidTags_Returns200WithoutATagsKey(string tags)
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With("tags", JsonNode.Parse(tags))), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await response.ReadObjectAsync()).ContainsKey("tags"));
    }

    [Fact]
    public async Task CreateImage_SeveralProblems_ReturnsOneErrorPerProblem()
    {
        using var client = await app.CreateAccountClientAsync();
        var body = new JsonObject
        {
            ["name"] = "bad/name",
            ["url"] = "ftp://x/y.img",
            ["min_disk"] = -1,
            ["min_ram"] = 2097152,
            ["visibility"] = "public",
            ["container_format"] = "ovf",
            ["disk_format"] = "raw",
            ["tags"] = new JsonArray(new JsonObject { ["key"] = "" }),
        };

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(body), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest,
            "invalid_name", "invalid_os_distro", "invalid_url", "invalid_min_disk", "invalid_min_ram",
            "invalid_visibility", "invalid_container_format", "invalid_disk_format", "invalid_tags");
    }

    [Fact]
    public async Task CreateImage_RefusedRequest_StoresNothing()
    {
        using var client = await app.CreateAccountClientAsync();

        using var refused = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With("name", "a/b")), Ct);
        var list = await client.GetFromJsonObjectAsync("/v1/images");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Empty(list["images"]!.AsArray());
    }
}
