using ImageService.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace ImageService.Tests.Authentication;

// The string-to-sign and HMAC of docs/signing.md, checked against the request the official Go
// SDK put on the wire.
public sealed class ScpSignatureTests
{
    private const string WireUrl = "http://127.0.0.1:18080/v1/images?limit=1000&name=my+image&scp_image_type=custom&visibility=private";
    private const string WireTimestamp = "1795486108496";
    private const string WireStringToSign =
        "GEThttp://127.0.0.1:18080/v1/images?limit=1000&name=my+image&scp_image_type=custom&visibility=private1795486108496AKEXAMPLEOpenapi";
    private const string WireSignature = "Ze6zQS/EjjX6Bn2D4FLvW9YN6cxQhUmErlf88VaWWwY=";

    private static readonly byte[] ExampleSecret = "SKEXAMPLE"u8.ToArray();

    [Fact]
    public void StringToSign_AuthMdWireExample_IsThePlainConcatenation()
    {
        var toSign = ScpSignature.StringToSign("GET", WireUrl, WireTimestamp, "AKEXAMPLE", "", ScpHeaders.OpenapiClientType);

        Assert.Equal(WireStringToSign, toSign);
    }

    [Fact]
    public void Compute_AuthMdWireExample_MatchesTheSignatureOnTheWire()
    {
        var signature = ScpSignature.Compute("SKEXAMPLE", WireStringToSign);

        Assert.Equal(WireSignature, signature);
    }

    [Fact]
    public void Verify_AuthMdWireExample_Accepts()
    {
        var valid = ScpSignature.Verify(ExampleSecret, WireStringToSign, WireSignature);

        Assert.True(valid);
    }

    [Theory]
    [InlineData("post")]
    [InlineData("Post")]
    public void StringToSign_LowerCaseMethod_IsUpperCased(string method)
    {
        var toSign = ScpSignature.StringToSign(method, "/v1/images", "1", "AK", "acct", "Openapi");

        Assert.Equal("POST/v1/images1AKacctOpenapi", toSign);
    }

    [Theory]
    [InlineData("Ze6zQS/EjjX6Bn2D4FLvW9YN6cxQhUmErlf88VaWWwc=")]
    [InlineData("ze6zqs/ejjx6bn2d4flvw9yn6cxqhumerlf88vawwwy=")]
    [InlineData("Ze6zQS_EjjX6Bn2D4FLvW9YN6cxQhUmErlf88VaWWwY=")]
    [InlineData("Ze6zQS/EjjX6Bn2D4FLvW9YN6cxQhUmErlf88VaWWwY")]
    [InlineData("Ze6zQS/EjjX6Bn2D4FLvW9YN6cxQhUmErlf88VaW")]
    [InlineData("Ze6zQS/EjjX6Bn2D4FLvW9YN6cxQhUmErlf88VaWWwYAAAA=")]
    [InlineData("")]
    [InlineData("not base64 at all!")]
    [InlineData("Ze6zQS/EjjX6Bn2D4FLvW9YN6cxQhUmErlf88VaWWwY=Ze6zQS/EjjX6Bn2D4FLvW9YN6cxQhUmErlf88VaWWwY=")]
    public void Verify_AnythingButTheExactSignature_Refuses(string presented)
    {
        var valid = ScpSignature.Verify(ExampleSecret, WireStringToSign, presented);

        Assert.False(valid);
    }

    [Fact]
    public void Verify_OtherSecret_Refuses()
    {
        var valid = ScpSignature.Verify("SKOTHER"u8, WireStringToSign, WireSignature);

        Assert.False(valid);
    }

    // Strings to sign past 1 KiB take the pooled-buffer path.
    [Fact]
    public void Verify_LongNonAsciiStringToSign_AgreesWithCompute()
    {
        var toSign = ScpSignature.StringToSign("GET", "/v1/images?name=" + string.Concat(Enumerable.Repeat("%C3%A4ä", 400)), "1", "AK", "", "Openapi");
        var signature = ScpSignature.Compute("secret", toSign);

        var valid = ScpSignature.Verify("secret"u8, toSign, signature);

        Assert.True(valid);
    }

    [Fact]
    public void Sign_Request_SignsTheAbsoluteUrlAsSentAndSetsEveryHeader()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1795486108496));
        using var request = new HttpRequestMessage(HttpMethod.Get, WireUrl);

        ScpSigningHandler.Sign(request, new ScpCredentials("AKEXAMPLE", "SKEXAMPLE"), "1.3", time);

        Assert.Equal(["AKEXAMPLE"], request.Headers.GetValues(ScpHeaders.AccessKey));
        Assert.Equal([WireTimestamp], request.Headers.GetValues(ScpHeaders.Timestamp));
        Assert.Equal([WireSignature], request.Headers.GetValues(ScpHeaders.Signature));
        Assert.Equal(["Openapi"], request.Headers.GetValues(ScpHeaders.ClientType));
        Assert.Equal([""], request.Headers.GetValues(ScpHeaders.AccountId));
        Assert.Equal(["virtualserver 1.3"], request.Headers.GetValues(ScpHeaders.ApiVersion));
    }

    [Fact]
    public void Sign_RequestThatAlreadyAsksForAVersion_KeepsIt()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, WireUrl);
        request.Headers.TryAddWithoutValidation(ScpHeaders.ApiVersion, "virtualserver 1.0");

        ScpSigningHandler.Sign(request, new ScpCredentials("AK", "SK"), "1.3", TimeProvider.System);

        Assert.Equal(["virtualserver 1.0"], request.Headers.GetValues(ScpHeaders.ApiVersion));
    }

    [Fact]
    public void Credentials_ToString_HidesTheSecret()
    {
        var text = new ScpCredentials("AKVISIBLE", "SKSECRETVALUE", "acct").ToString();

        Assert.Contains("AKVISIBLE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SKSECRETVALUE", text, StringComparison.Ordinal);
    }
}
