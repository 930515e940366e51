using System.Net;
using ImageService.Tests.Versioning;

namespace ImageService.Tests.Images;

// docs/versions.md: os_distro accepts sles in 1.0 only.
public sealed class CreateImageVersionTests(AllVersionsServedApp fixture) : IClassFixture<AllVersionsServedApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateImage_SlesInVersion1Dot0_Returns200()
    {
        using var client = await fixture.App.CreateAccountClientAsync("1.0");

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With("os_distro", "sles")), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ScpAssert.AnsweredBy(response, "1.0");
        Assert.Equal("sles", (await response.ReadObjectAsync())["os_distro"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public async Task CreateImage_SlesAfterVersion1Dot0_Returns400InvalidOsDistro(string version)
    {
        using var client = await fixture.App.CreateAccountClientAsync(version);

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With("os_distro", "sles")), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_os_distro");
        ScpAssert.AnsweredBy(response, version);
    }

    [Theory]
    [InlineData("1.0", "alma")]
    [InlineData("1.0", "oracle")]
    [InlineData("1.1", "windows")]
    [InlineData("1.2", "rocky")]
    public async Task CreateImage_OsDistroOfTheVersion_Returns200(string version, string osDistro)
    {
        using var client = await fixture.App.CreateAccountClientAsync(version);

        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.CreateJson().With("os_distro", osDistro)), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ScpAssert.AnsweredBy(response, version);
    }
}
