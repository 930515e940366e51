using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ImageService.Tests.Images;

namespace ImageService.Tests.Wire;

// docs/errors.md: every failure, whoever produces it, is the SCP envelope.
public sealed class ErrorEnvelopeTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    private const int MaxBody = 64 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/xml")]
    [InlineData("multipart/form-data")]
    public async Task CreateImage_NotJsonContentType_Returns415(string contentType)
    {
        using var client = await app.CreateAccountClientAsync();
        using var content = new StringContent(ImageRequests.CreateJson().ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        using var response = await client.PostAsync("/v1/images", content, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task CreateImage_NoContentType_Returns415()
    {
        using var client = await app.CreateAccountClientAsync();
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(ImageRequests.CreateJson().ToJsonString()));

        using var response = await client.PostAsync("/v1/images", content, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task UpdateImage_NotJsonContentType_Returns415()
    {
        using var client = await app.CreateAccountClientAsync();
        var id = await client.CreateImageAsync();

        using var response = await client.PutAsync($"/v1/images/{id}", new StringContent("{}", Encoding.UTF8, "text/plain"), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    public async Task CreateImage_JsonContentTypeVariants_Returns200(string contentType)
    {
        using var client = await app.CreateAccountClientAsync();
        using var content = new StringContent(ImageRequests.CreateJson().ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await client.PostAsync("/v1/images", content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CreateImage_BodyOverLimit_Returns413(bool sendLength)
    {
        using var client = await app.CreateAccountClientAsync();
        using var content = LargeBody(MaxBody + 1, sendLength);

        using var response = await client.PostAsync("/v1/images", content, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task UpdateImage_BodyOverLimit_Returns413()
    {
        using var client = await app.CreateAccountClientAsync();
        var id = await client.CreateImageAsync();
        using var content = LargeBody(MaxBody + 1, sendLength: false);

        using var response = await client.PutAsync($"/v1/images/{id}", content, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task CreateImage_BodyOfExactlyTheLimit_IsRead()
    {
        using var client = await app.CreateAccountClientAsync();
        using var content = LargeBody(MaxBody, sendLength: true);

        using var response = await client.PostAsync("/v1/images", content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"name\"")]
    [InlineData("{\"name\":\"a\",}")]
    [InlineData("{\"name\":\"a\" /* comment */}")]
    [InlineData("{\"name\":\"a\",\"name\":\"b\",\"os_distro\":\"ubuntu\",\"url\":\"https://h/x.qcow2\"}")]
    [InlineData("{'name':'a'}")]
    public async Task CreateImage_NotAJsonObject_Returns400InvalidBody(string json)
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.PostAsync("/v1/images", ApiJson.Raw(json), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_body");
    }

    [Theory]
    [InlineData("GET", "/v1/nothing")]
    [InlineData("GET", "/v2/nothing")]
    [InlineData("GET", "/v1/images/a/b/c")]
    [InlineData("POST", "/v1")]
    public async Task AnyRequest_UnknownRoute_Returns404Envelope(string method, string path)
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.NotFound, "not_found");
        ScpAssert.AnsweredBy(response, "1.3");
    }

    [Theory]
    [InlineData("PATCH", "/v1/images/some-id")]
    [InlineData("POST", "/v1/images/some-id")]
    [InlineData("DELETE", "/v1/images")]
    [InlineData("PUT", "/v1/images")]
    [InlineData("GET", "/v2/images")] // only createImageForUpload's POST, an extension
    [InlineData("DELETE", "/")]
    public async Task AnyRequest_WrongMethod_Returns405Envelope(string method, string path)
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.NotEmpty(response.Content.Headers.Allow);
        ScpAssert.AnsweredBy(response, "1.3");
    }

    [Fact]
    public async Task UnsignedRequest_UnknownRoute_Returns404Envelope()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/v1/nothing", Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    public static TheoryData<string, string, string?> EveryKindOfResponse => new()
    {
        { "GET", "/v1/images", null },
        { "POST", "/v1/images", """{"name":"n","os_distro":"ubuntu","url":"https://h/x.qcow2"}""" },
        { "POST", "/v1/images", """{"name":"a/b"}""" },
        { "POST", "/v1/images", "{" },
        { "GET", "/v1/images/missing", null },
        { "DELETE", "/v1/images/missing", null },
        { "PUT", "/v1/images/missing", "{}" },
        { "GET", "/v1/images?limit=0", null },
        { "PATCH", "/v1/images", null },
        { "GET", "/nowhere", null },
        { "GET", "/", null },
        { "GET", "/healthz", null },
        { "GET", "/readyz", null },
        { "GET", "/openapi/v1.json", null },
    };

    [Theory]
    [MemberData(nameof(EveryKindOfResponse))]
    public async Task AnyResponse_Signed_CarriesScpApiVersion(string method, string path, string? body)
    {
        using var client = await app.CreateAccountClientAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : ApiJson.Raw(body) };

        using var response = await client.SendAsync(request, Ct);

        ScpAssert.AnsweredBy(response, "1.3");
    }

    [Theory]
    [InlineData("/v1/images")]
    [InlineData("/v1/images/x")]
    [InlineData("/")]
    [InlineData("/healthz")]
    public async Task AnyResponse_Unsigned_CarriesScpApiVersion(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path, Ct);

        ScpAssert.AnsweredBy(response, "1.3");
    }

    // The echo of a client-chosen id in a detail stays short and printable.
    [Fact]
    public async Task ShowImage_LongOrUnprintableId_DoesNotEchoIt()
    {
        using var client = await app.CreateAccountClientAsync();
        var id = new string('x', 200);

        using var response = await client.GetAsync($"/v1/images/{id}", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(id, body, StringComparison.Ordinal);
    }

    private static HttpContent LargeBody(int bytes, bool sendLength)
    {
        // A valid create body padded with whitespace to the exact size.
        var json = ImageRequests.CreateJson().ToJsonString();
        var padded = Encoding.UTF8.GetBytes(json[..^1] + new string(' ', bytes - json.Length) + "}");
        HttpContent content = sendLength ? new ByteArrayContent(padded) : new StreamContent(new UnknownLengthStream(padded));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    // A stream that cannot say its length, so HttpClient sends the body chunked.
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
