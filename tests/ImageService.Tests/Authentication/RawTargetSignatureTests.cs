using System.Net;
using System.Net.Sockets;
using System.Text;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Protocol;
using ImageService.Tests.Images;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ImageService.Tests.Authentication;

// The server must rebuild the string to sign from the raw request target (docs/signing.md), so these
// requests go through real Kestrel: TestServer does not fill IHttpRequestFeature.RawTarget.
public sealed class RawTargetSignatureTests(RawTargetSignatureTests.KestrelApp fixture) : IClassFixture<RawTargetSignatureTests.KestrelApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The request the official Go SDK put on the wire (docs/signing.md), byte for byte, at its own time.
    [Fact]
    public async Task ListImages_AuthMdWireExample_Returns200()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri(fixture.Address, "/v1/images?limit=1000&name=my+image&scp_image_type=custom&visibility=private"));
        request.Headers.Host = "127.0.0.1:18080";
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        request.Headers.TryAddWithoutValidation("Accept-Language", "en-US");
        request.Headers.TryAddWithoutValidation("Scp-API-Version", "virtualserver 1.3");
        request.Headers.TryAddWithoutValidation("Scp-AccessKey", "AKEXAMPLE");
        request.Headers.TryAddWithoutValidation("Scp-AccountId", "");
        request.Headers.TryAddWithoutValidation("Scp-ClientType", "Openapi");
        request.Headers.TryAddWithoutValidation("Scp-Signature", "Ze6zQS/EjjX6Bn2D4FLvW9YN6cxQhUmErlf88VaWWwY=");
        request.Headers.TryAddWithoutValidation("Scp-Timestamp", "1795486108496");
        request.Headers.TryAddWithoutValidation("User-Agent", "scpclient/0.0.1");

        using var response = await fixture.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"images":[]}""", await response.Content.ReadAsStringAsync(Ct));
    }

    [Theory]
    [InlineData("/v1/images/img%201%2Fx")]
    [InlineData("/v1/images/img%201%2fx")]
    [InlineData("/v1/images/%C3%A4%20b")]
    [InlineData("/v1/images/a+b")]
    public async Task ShowImage_PercentEncodedId_VerifiesAndReturns404(string path)
    {
        using var request = fixture.Sign(HttpMethod.Get, path);

        using var response = await fixture.Client.SendAsync(request, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.NotFound, "image_not_found");
    }

    [Theory]
    [InlineData("/v1/images?marker=m%5B1%5D&name=%C3%A4+b%26c")]
    [InlineData("/v1/images?name=%C3%A4+b%26c&marker=m%5b1%5d")]
    public async Task ListImages_PercentEncodedQuery_VerifiesAndReachesTheHandler(string pathAndQuery)
    {
        using var request = fixture.Sign(HttpMethod.Get, pathAndQuery);

        using var response = await fixture.Client.SendAsync(request, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_marker");
    }

    [Fact]
    public async Task ListImages_EncodedNameFilter_MatchesTheDecodedName()
    {
        using var request = fixture.Sign(HttpMethod.Get, "/v1/images?name=no%20such%20image&limit=1000");

        using var response = await fixture.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // The same request signed over the decoded form must fail: the server signs what was sent.
    [Fact]
    public async Task ShowImage_SignatureOverTheDecodedPath_Returns401()
    {
        using var request = fixture.Sign(HttpMethod.Get, "/v1/images/img%201%2Fx", signedPathAndQuery: "/v1/images/img 1/x");

        using var response = await fixture.Client.SendAsync(request, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    // An SDK endpoint configured as "http://host:port/" signs and sends "//v1/images".
    [Fact]
    public async Task ListImages_EndpointWithTrailingSlash_SignsDoubledSlashAndReturns200()
    {
        using var request = fixture.Sign(HttpMethod.Get, "//v1/images?limit=3");

        using var response = await fixture.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CreateThenShowImage_EndpointWithTrailingSlash_Works()
    {
        using var create = fixture.Sign(HttpMethod.Post, "//v1/images");
        create.Content = ApiJson.Body(ImageRequests.CreateJson());

        using var created = await fixture.Client.SendAsync(create, Ct);
        var id = (await created.ReadObjectAsync())["id"]!.GetValue<string>();
        using var show = fixture.Sign(HttpMethod.Get, $"//v1/images/{id}");
        using var shown = await fixture.Client.SendAsync(show, Ct);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
    }

    [Fact]
    public async Task ListImages_DoubledSlashSignedAsSingle_Returns401()
    {
        using var request = fixture.Sign(HttpMethod.Get, "//v1/images", signedPathAndQuery: "/v1/images");

        using var response = await fixture.Client.SendAsync(request, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task ListImages_PathAndQueryFormOverKestrel_Returns200()
    {
        using var request = fixture.Sign(HttpMethod.Get, "/v1/images?name=%C3%A4", absolute: false);

        using var response = await fixture.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // A request line in absolute form (RFC 9112 §3.2.2, as sent to a proxy) carries the URL itself.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ListImages_AbsoluteFormRequestTarget_Verifies(bool signAbsolute)
    {
        var target = new Uri(fixture.Address, "/v1/images?limit=2").ToString();
        var timestamp = fixture.Time.Timestamp();
        var signedUrl = signAbsolute ? target : "/v1/images?limit=2";
        var signature = ScpSignature.Compute(fixture.Credentials.SecretKey,
            ScpSignature.StringToSign("GET", signedUrl, timestamp, fixture.Credentials.AccessKey, "", "Openapi"));
        var requestText =
            $"GET {target} HTTP/1.1\r\nHost: {fixture.Address.Authority}\r\n{ScpHeaders.AccessKey}: {fixture.Credentials.AccessKey}\r\n" +
            $"{ScpHeaders.Timestamp}: {timestamp}\r\n{ScpHeaders.Signature}: {signature}\r\n{ScpHeaders.ClientType}: Openapi\r\n" +
            $"{ScpHeaders.AccountId}: \r\nConnection: close\r\n\r\n";

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(fixture.Address.Host, fixture.Address.Port, Ct);
        await using var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(requestText), Ct);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync(Ct);

        Assert.StartsWith("HTTP/1.1 200", statusLine, StringComparison.Ordinal);
    }

    public sealed class KestrelApp : IAsyncLifetime, IDisposable
    {
        public FakeTimeProvider Time { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(1795486108496));

        public ImageServiceApp App { get; private set; } = null!;

        public Uri Address { get; private set; } = null!;

        public ScpCredentials Credentials { get; private set; } = null!;

        public HttpClient Client { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false });

        public async ValueTask InitializeAsync()
        {
            App = ImageServiceApp.Create(Time);
            Address = App.StartKestrel();
            Credentials = await App.CreateAccountAsync();
            await AddExampleKeyAsync();
        }

        // The signing handler would normalise the target; these sign exactly what is sent.
        public HttpRequestMessage Sign(HttpMethod method, string pathAndQuery, string? signedPathAndQuery = null, bool absolute = true)
        {
            var signed = signedPathAndQuery ?? pathAndQuery;
            var request = HandSigned.Request(method, Address.GetLeftPart(UriPartial.Authority) + pathAndQuery, Credentials,
                absolute ? Address.GetLeftPart(UriPartial.Authority) + signed : signed, Time.Timestamp());
            request.Headers.TryAddWithoutValidation(ScpHeaders.ApiVersion, "virtualserver 1.3");
            return request;
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        public void Dispose()
        {
            Client.Dispose();
            App?.Dispose();
        }

        // The key of the docs/signing.md example, stored as the service stores keys. The purpose string is
        // the store's; if it ever changes, every stored key stops decrypting, and this test says so.
        private async Task AddExampleKeyAsync()
        {
            var protector = App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("ImageService.AccessKeys.v1");
            await using var scope = App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
            db.AccessKeys.Add(new AccessKey
            {
                Id = "AKEXAMPLE",
                AccountId = "example-account",
                AccountName = "Example",
                UserName = "user@example.com",
                ProtectedSecret = protector.Protect("SKEXAMPLE"),
                CreatedAt = Time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync();
        }
    }
}
