using System.Net;
using ImageService.Protocol;
using ImageService.Tests.Images;

namespace ImageService.Tests.Versioning;

// docs/versions.md through the pipeline: which version answers, 406 and 400, and the headers.
public sealed class VersioningMiddlewareTests(FixedClockApp fixture) : IClassFixture<FixedClockApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListImages_NoVersionHeader_AnswersCurrent()
    {
        using var client = await fixture.App.CreateAccountClientAsync(apiVersion: null);

        using var response = await client.GetAsync("/v1/images", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ScpAssert.AnsweredBy(response, "1.3");
        Assert.False(response.Headers.Contains("Deprecation"));
        Assert.False(response.Headers.Contains("Sunset"));
    }

    [Theory]
    [InlineData("virtualserver 1.3")]
    [InlineData("VirtualServer 1.3")]
    [InlineData(" virtualserver 1.3 ")]
    public async Task ListImages_CurrentVersion_Returns200(string header)
    {
        using var client = await fixture.App.CreateAccountClientAsync(apiVersion: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/images");
        request.Headers.TryAddWithoutValidation(ScpHeaders.ApiVersion, header);

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ScpAssert.AnsweredBy(response, "1.3");
    }

    // On 2026-11-24 the seed table serves 1.3 only.
    [Theory]
    [InlineData("GET", "/v1/images", "1.0")]
    [InlineData("GET", "/v1/images", "1.1")]
    [InlineData("GET", "/v1/images", "1.2")]
    [InlineData("GET", "/v1/images", "1.4")]
    [InlineData("GET", "/v1/images", "2.0")]
    [InlineData("GET", "/v1/images", "0.9")]
    [InlineData("GET", "/v1/images/any-id", "1.2")]
    [InlineData("DELETE", "/v1/images/any-id", "1.0")]
    public async Task AnyImageOperation_RetiredOrUnknownVersion_Returns406NamingUsableVersions(string method, string path, string version)
    {
        using var client = await fixture.App.CreateAccountClientAsync(version);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Ct);
        var detail = (await response.ReadObjectAsync())["errors"]![0]!["detail"]!.GetValue<string>();

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.NotAcceptable, "unsupported_api_version");
        Assert.Contains($"virtualserver {version}", detail, StringComparison.Ordinal);
        Assert.EndsWith("Use one of: virtualserver 1.3.", detail, StringComparison.Ordinal);
        ScpAssert.AnsweredBy(response, "1.3");
    }

    [Fact]
    public async Task CreateImage_RetiredVersion_Returns406AndCreatesNothing()
    {
        var credentials = await fixture.App.CreateAccountAsync();
        using var retired = fixture.App.CreateSignedClient(credentials, "1.0");
        using var current = fixture.App.CreateSignedClient(credentials);

        using var response = await retired.PostAsync("/v1/images", ApiJson.Body(ImageRequests.Create()), Ct);
        var list = await current.GetFromJsonObjectAsync("/v1/images");

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.NotAcceptable, "unsupported_api_version");
        Assert.Empty(list["images"]!.AsArray());
    }

    [Theory]
    [InlineData("virtualserver")]
    [InlineData("1.3")]
    [InlineData("virtualserver 1.x")]
    [InlineData("virtualserver v1.3")]
    [InlineData("virtualserver 1.3.0")]
    [InlineData("compute 1.3")]
    [InlineData("virtualserver 1.3, virtualserver 1.2")]
    public async Task ListImages_MalformedVersionHeader_Returns400(string header)
    {
        using var client = await fixture.App.CreateAccountClientAsync(apiVersion: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/images");
        request.Headers.TryAddWithoutValidation(ScpHeaders.ApiVersion, header);

        using var response = await client.SendAsync(request, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_api_version");
        ScpAssert.AnsweredBy(response, "1.3");
    }

    [Fact]
    public async Task ListImages_TwoVersionHeaders_Returns400()
    {
        using var client = await fixture.App.CreateAccountClientAsync(apiVersion: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/images");
        request.Headers.TryAddWithoutValidation(ScpHeaders.ApiVersion, ["virtualserver 1.3", "virtualserver 1.3"]);

        using var response = await client.SendAsync(request, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_api_version");
    }

    // Operations that are not versioned SCP operations ignore the header.
    [Theory]
    [InlineData("/")]
    [InlineData("/healthz")]
    public async Task UnversionedPath_AnyVersionHeader_Answers200WithCurrent(string path)
    {
        using var client = fixture.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation(ScpHeaders.ApiVersion, "virtualserver 1.0");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ScpAssert.AnsweredBy(response, "1.3");
    }
}

// The same pipeline on other days and with operator settings.
public sealed class VersioningScheduleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.1")]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public async Task ListImages_DayEveryVersionIsServed_AnswersTheRequestedVersion(string version)
    {
        using var app = ImageServiceApp.Create(LifecycleDates.Clock(LifecycleDates.AllServed));
        using var client = await app.CreateAccountClientAsync(version);

        using var response = await client.GetAsync("/v1/images", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ScpAssert.AnsweredBy(response, version);
        Assert.False(response.Headers.Contains("Deprecation"));
    }

    [Fact]
    public async Task ListImages_Version1Dot0InItsLast90Days_AddsDeprecationAndSunset()
    {
        using var app = ImageServiceApp.Create(LifecycleDates.Clock(LifecycleDates.V1Dot0Deprecated));
        using var old = await app.CreateAccountClientAsync("1.0");
        using var newer = await app.CreateAccountClientAsync("1.1");

        using var deprecated = await old.GetAsync("/v1/images", Ct);
        using var supported = await newer.GetAsync("/v1/images", Ct);

        Assert.Equal(HttpStatusCode.OK, deprecated.StatusCode);
        ScpAssert.AnsweredBy(deprecated, "1.0");
        Assert.Equal(["@1759363200"], deprecated.Headers.GetValues("Deprecation"));
        Assert.Equal(["Wed, 31 Dec 2025 00:00:00 GMT"], deprecated.Headers.GetValues("Sunset"));
        Assert.Equal(HttpStatusCode.OK, supported.StatusCode);
        Assert.False(supported.Headers.Contains("Deprecation"));
        Assert.False(supported.Headers.Contains("Sunset"));
    }

    [Fact]
    public async Task ShowImage_ServeRetiredVersions_Answers1Dot0WithDeprecationAndSunset()
    {
        using var app = ImageServiceApp.Create(
            LifecycleDates.Clock(LifecycleDates.OnlyCurrent),
            new Dictionary<string, string?> { ["Versioning:ServeRetiredVersions"] = "true" });
        using var client = await app.CreateAccountClientAsync("1.0");
        var id = await client.CreateImageAsync();

        using var response = await client.GetAsync($"/v1/images/{id}", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ScpAssert.AnsweredBy(response, "1.0");
        Assert.Equal(["@1759363200"], response.Headers.GetValues("Deprecation"));
        Assert.Equal(["Wed, 31 Dec 2025 00:00:00 GMT"], response.Headers.GetValues("Sunset"));
        Assert.False((await response.ReadObjectAsync()).ContainsKey("scp_gpu_driver"));
    }

    [Fact]
    public async Task ShowImage_OperationTableServesOnly1Dot3_Refuses1Dot2WhileListStillServesIt()
    {
        using var app = ImageServiceApp.Create(
            LifecycleDates.Clock(LifecycleDates.AllServed),
            new Dictionary<string, string?>
            {
                ["Versioning:Operations:showImage:0:Version"] = "1.3",
                ["Versioning:Operations:showImage:0:Status"] = "CURRENT",
            });
        using var client = await app.CreateAccountClientAsync("1.2");
        var id = await client.CreateImageAsync();

        using var show = await client.GetAsync($"/v1/images/{id}", Ct);
        using var list = await client.GetAsync("/v1/images", Ct);

        await ScpAssert.EnvelopeAsync(show, HttpStatusCode.NotAcceptable, "unsupported_api_version");
        Assert.EndsWith("Use one of: virtualserver 1.3.", (await show.ReadObjectAsync())["errors"]![0]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        ScpAssert.AnsweredBy(list, "1.2");
    }

    [Fact]
    public async Task ListImages_PlannedVersion_Returns406()
    {
        using var app = ImageServiceApp.Create(
            LifecycleDates.Clock(LifecycleDates.AllServed),
            new Dictionary<string, string?>
            {
                ["Versioning:Versions:4:Version"] = "1.4",
                ["Versioning:Versions:4:Status"] = "PLANNED",
            });
        using var client = await app.CreateAccountClientAsync("1.4");

        using var response = await client.GetAsync("/v1/images", Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.NotAcceptable, "unsupported_api_version");
        Assert.EndsWith("Use one of: virtualserver 1.3, virtualserver 1.2, virtualserver 1.1, virtualserver 1.0.",
            (await response.ReadObjectAsync())["errors"]![0]!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
