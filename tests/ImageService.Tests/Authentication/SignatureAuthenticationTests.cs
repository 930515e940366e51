using System.Net;
using ImageService.Api.Authentication;
using ImageService.Protocol;
using ImageService.Tests.Images;
using ImageService.Tests.Versioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ImageService.Tests.Authentication;

// docs/signing.md through the real pipeline on a fixed clock. TestServer leaves RawTarget empty,
// so these use targets whose decoded and raw forms agree; RawTargetSignatureTests covers the rest.
public sealed class SignatureAuthenticationTests(FixedClockApp fixture) : IClassFixture<FixedClockApp>
{
    private const string InvalidDetail = "The request signature is invalid or expired, or the access key is not valid.";

    private readonly FakeTimeProvider _time = fixture.Time;
    private readonly ImageServiceApp _app = fixture.App;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListImages_SignedLikeTheSdk_Returns200()
    {
        using var client = await _app.CreateAccountClientAsync();

        using var response = await client.GetAsync("/v1/images?limit=5&name=my+image", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ListImages_HandSignedAbsoluteUrl_Returns200()
    {
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateClient();
        using var request = HandSigned.Request(HttpMethod.Get, "/v1/images?limit=5", credentials, "http://localhost/v1/images?limit=5", _time.Timestamp());

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ListImages_SignedOverPathAndQueryOnly_Returns200()
    {
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateClient();
        using var request = HandSigned.Request(HttpMethod.Get, "/v1/images?limit=5", credentials, "/v1/images?limit=5", _time.Timestamp());

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "http://localhost/v1/images?limit=6")]
    [InlineData("GET", "http://localhost/v1/images")]
    [InlineData("GET", "http://localhost/v1/images?limit=5&")]
    [InlineData("GET", "https://localhost/v1/images?limit=5")]
    [InlineData("GET", "http://localhost:80/v1/images?limit=5")]
    [InlineData("GET", "http://otherhost/v1/images?limit=5")]
    [InlineData("GET", "localhost/v1/images?limit=5")]
    [InlineData("GET", "v1/images?limit=5")]
    [InlineData("GET", "/V1/images?limit=5")]
    [InlineData("POST", "http://localhost/v1/images?limit=5")]
    [InlineData("GET", "")]
    public async Task ListImages_SignatureOverAnotherRequest_Returns401(string signedMethod, string signedUrl)
    {
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateClient();
        var timestamp = _time.Timestamp();
        using var request = HandSigned.Request(HttpMethod.Get, "/v1/images?limit=5", credentials, "ignored", timestamp);
        request.Headers.Remove(ScpHeaders.Signature);
        request.Headers.TryAddWithoutValidation(ScpHeaders.Signature, ScpSignature.Compute(credentials.SecretKey,
            ScpSignature.StringToSign(signedMethod, signedUrl, timestamp, credentials.AccessKey, "", ScpHeaders.OpenapiClientType)));

        using var response = await client.SendAsync(request, Ct);

        await AssertInvalidAsync(response);
    }

    [Fact]
    public async Task ListImages_WrongSecret_Returns401()
    {
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateClient();
        using var request = HandSigned.Request(HttpMethod.Get, "/v1/images", credentials, "http://localhost/v1/images", _time.Timestamp(), secret: "not-the-secret");

        using var response = await client.SendAsync(request, Ct);

        await AssertInvalidAsync(response);
    }

    [Theory]
    [InlineData(ScpHeaders.Timestamp)]
    [InlineData(ScpHeaders.ClientType)]
    [InlineData(ScpHeaders.AccountId)]
    public async Task ListImages_SignedHeaderChangedAfterSigning_Returns401(string header)
    {
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateClient();
        using var request = HandSigned.Request(HttpMethod.Get, "/v1/images", credentials, "http://localhost/v1/images", _time.Timestamp());
        var original = request.Headers.GetValues(header).Single();
        request.Headers.Remove(header);
        request.Headers.TryAddWithoutValidation(header, header == ScpHeaders.Timestamp ? (long.Parse(original, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "");

        using var response = await client.SendAsync(request, Ct);

        if (header == ScpHeaders.AccountId && original.Length == 0)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return;
        }

        await AssertInvalidAsync(response);
    }

    [Theory]
    [InlineData(-15 * 60 * 1000 - 1)]
    [InlineData(15 * 60 * 1000 + 1)]
    [InlineData(-24 * 60 * 60 * 1000)]
    [InlineData(365L * 24 * 60 * 60 * 1000)]
    public async Task ListImages_TimestampOutsideFifteenMinutes_Returns401(long offsetMilliseconds)
    {
        var credentials = await _app.CreateAccountAsync();
        var skewed = new FakeTimeProvider(_time.GetUtcNow() + TimeSpan.FromMilliseconds(offsetMilliseconds));
        using var client = _app.CreateSignedClient(credentials, signingTime: skewed);

        using var response = await client.GetAsync("/v1/images", Ct);

        await AssertInvalidAsync(response);
    }

    [Theory]
    [InlineData(-15 * 60 * 1000)]
    [InlineData(15 * 60 * 1000)]
    [InlineData(-1000)]
    [InlineData(1000)]
    public async Task ListImages_TimestampWithinFifteenMinutes_Returns200(long offsetMilliseconds)
    {
        var credentials = await _app.CreateAccountAsync();
        var skewed = new FakeTimeProvider(_time.GetUtcNow() + TimeSpan.FromMilliseconds(offsetMilliseconds));
        using var client = _app.CreateSignedClient(credentials, signingTime: skewed);

        using var response = await client.GetAsync("/v1/images", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("-1")]
    [InlineData("+1795486108496")]
    [InlineData("1795486108496.0")]
    [InlineData("1.795486108496e12")]
    [InlineData(" 1795486108496")]
    [InlineData("17954861084960000000000")]
    public async Task ListImages_TimestampNotMilliseconds_Returns401(string timestamp)
    {
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateClient();
        using var request = HandSigned.Request(HttpMethod.Get, "/v1/images", credentials, "http://localhost/v1/images", timestamp);

        using var response = await client.SendAsync(request, Ct);

        await AssertInvalidAsync(response);
    }

    [Fact]
    public async Task ListImages_UnknownAccessKey_Returns401()
    {
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateSignedClient(credentials with { AccessKey = "AKUNKNOWN0000000000" });

        using var response = await client.GetAsync("/v1/images", Ct);

        await AssertInvalidAsync(response);
    }

    [Fact]
    public async Task ListImages_AccessKeyLongerThan64_Returns401()
    {
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateSignedClient(credentials with { AccessKey = new string('A', 65) });

        using var response = await client.GetAsync("/v1/images", Ct);

        await AssertInvalidAsync(response);
    }

    [Fact]
    public async Task ListImages_RevokedKey_Returns401()
    {
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateSignedClient(credentials);
        using var before = await client.GetAsync("/v1/images", Ct);

        var revoked = await _app.Services.GetRequiredService<AccessKeyStore>().RevokeAsync(credentials.AccessKey, Ct);
        using var after = await client.GetAsync("/v1/images", Ct);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.True(revoked);
        await AssertInvalidAsync(after);
    }

    [Fact]
    public async Task ListImages_KeyRevokedOnAnotherNode_StopsWorkingWithinTheCacheDuration()
    {
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateSignedClient(credentials);
        using var before = await client.GetAsync("/v1/images", Ct);
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ImageService.Api.Data.ImageDbContext>();
            var key = await db.AccessKeys.FindAsync([credentials.AccessKey], Ct);
            key!.RevokedAt = _time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(Ct);
        }

        using var cached = await client.GetAsync("/v1/images", Ct);
        _time.Advance(TimeSpan.FromSeconds(11));
        using var after = await client.GetAsync("/v1/images", Ct);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, cached.StatusCode);
        await AssertInvalidAsync(after);
    }

    [Theory]
    [InlineData(ScpHeaders.AccessKey)]
    [InlineData(ScpHeaders.Timestamp)]
    [InlineData(ScpHeaders.Signature)]
    public async Task ListImages_SignatureHeaderMissing_Returns401(string header)
    {
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateClient();
        using var request = HandSigned.Request(HttpMethod.Get, "/v1/images", credentials, "http://localhost/v1/images", _time.Timestamp());
        request.Headers.Remove(header);

        using var response = await client.SendAsync(request, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData(ScpHeaders.AccessKey)]
    [InlineData(ScpHeaders.Timestamp)]
    [InlineData(ScpHeaders.Signature)]
    public async Task ListImages_SignatureHeaderTwice_Returns401(string header)
    {
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateClient();
        using var request = HandSigned.Request(HttpMethod.Get, "/v1/images", credentials, "http://localhost/v1/images", _time.Timestamp());
        request.Headers.TryAddWithoutValidation(header, request.Headers.GetValues(header).Single());

        using var response = await client.SendAsync(request, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("GET", "/v1/images")]
    [InlineData("POST", "/v1/images")]
    [InlineData("GET", "/v1/images/some-id")]
    [InlineData("PUT", "/v1/images/some-id")]
    [InlineData("DELETE", "/v1/images/some-id")]
    public async Task AnyImageOperation_Unsigned_Returns401SayingWhatToSend(string method, string path)
    {
        using var client = _app.CreateClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Contains(ScpHeaders.Signature, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListImages_XAuthTokenAlone_Returns401()
    {
        using var client = _app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/images");
        request.Headers.TryAddWithoutValidation(ScpHeaders.AuthToken, "gAAAAABl-some-keystone-token");

        using var response = await client.SendAsync(request, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task ListImages_XAuthTokenBesideValidSignature_IsIgnored()
    {
        using var client = await _app.CreateAccountClientAsync();
        client.DefaultRequestHeaders.TryAddWithoutValidation(ScpHeaders.AuthToken, "not-a-valid-token");

        using var response = await client.GetAsync("/v1/images", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ListImages_AccountIdHeaderOfAnotherAccount_Returns403()
    {
        var credentials = await _app.CreateAccountAsync();
        var otherId = "auth-other-" + Guid.NewGuid().ToString("N");
        await _app.CreateAccountAsync(otherId);
        using var client = _app.CreateSignedClient(credentials with { AccountId = otherId });

        using var response = await client.GetAsync("/v1/images", Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.Forbidden, "account_mismatch");
    }

    [Fact]
    public async Task CreateImage_AccountIdHeaderOfAnotherAccount_Returns403AndCreatesNothing()
    {
        var credentials = await _app.CreateAccountAsync();
        using var mismatched = _app.CreateSignedClient(credentials with { AccountId = "someone-else" });
        using var own = _app.CreateSignedClient(credentials);

        using var response = await mismatched.PostAsync("/v1/images", ApiJson.Body(ImageRequests.Create()), Ct);
        var list = await own.GetFromJsonObjectAsync("/v1/images");

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.Forbidden, "account_mismatch");
        Assert.Empty(list["images"]!.AsArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("auth-self-account-")]
    public async Task ListImages_AccountIdHeaderEmptyOrOwn_Returns200(string accountId)
    {
        // Account ids are unique per app, and this app is shared by the class's tests.
        var ownId = "auth-self-account-" + Guid.NewGuid().ToString("N");
        var credentials = await _app.CreateAccountAsync(ownId);
        using var client = _app.CreateSignedClient(credentials with { AccountId = accountId.Length == 0 ? "" : ownId });

        using var response = await client.GetAsync("/v1/images", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // Header names are case-insensitive; the seed pages spell them Scp-Accesskey and Scp-Api-Version.
    [Fact]
    public async Task ListImages_SeedPageHeaderSpelling_Returns200()
    {
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateClient();
        var timestamp = _time.Timestamp();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/images");
        request.Headers.TryAddWithoutValidation("Scp-Accesskey", credentials.AccessKey);
        request.Headers.TryAddWithoutValidation("scp-timestamp", timestamp);
        request.Headers.TryAddWithoutValidation("SCP-SIGNATURE", ScpSignature.Compute(credentials.SecretKey,
            ScpSignature.StringToSign("GET", "http://localhost/v1/images", timestamp, credentials.AccessKey, "", "Openapi")));
        request.Headers.TryAddWithoutValidation("Scp-Clienttype", "Openapi");
        request.Headers.TryAddWithoutValidation("Scp-Api-Version", "virtualserver 1.3");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task AssertInvalidAsync(HttpResponseMessage response)
    {
        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        var detail = (await response.ReadObjectAsync())["errors"]![0]!["detail"]!.GetValue<string>();
        Assert.Equal(InvalidDetail, detail);
    }
}
