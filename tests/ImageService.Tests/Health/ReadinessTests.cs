using System.Net;

namespace ImageService.Tests.Health;

// /readyz is what a load balancer probes: the node reaches its database and, when image data is
// in S3, its bucket. No signature is needed.
public sealed class ReadinessTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    [Fact]
    public async Task Readyz_DatabaseAndStoreReachable_Returns200()
    {
        using var client = app.CreateClient();

        using var ready = await client.GetAsync("/readyz", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
