using System.Net;

namespace ImageService.Tests.Health;

// A load balancer probes these without credentials; the SDK fetches GET / without them too.
public sealed class HealthTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/")]
    public async Task Probe_Unauthenticated_Returns200(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Probe_Healthy_SaysHealthy(string path)
    {
        using var client = app.CreateClient();

        var body = await client.GetStringAsync(path, Ct);

        Assert.Equal("Healthy", body);
    }
}
