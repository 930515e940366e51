using System.Net;
using ImageService.Tests.Images;

namespace ImageService.Tests.Observability;

// GET /metrics (docs/operations.md#metrics): unsigned, for loopback and the configured monitoring
// networks only, optionally only on a management port; HTTP metrics by route, never by path.
public sealed class MetricsEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_AfterShowImage_LabelRequestsByRouteTemplateNeverByImageId()
    {
        using var app = ImageServiceApp.Create();
        using var client = await app.CreateAccountClientAsync();
        var imageId = await client.CreateImageAsync();
        (await client.GetAsync($"/v1/images/{imageId}", Ct)).Dispose();
        (await client.GetAsync($"/v1/images/{imageId}?name={imageId}", Ct)).Dispose();

        using var anonymous = app.CreateClient();
        using var response = await anonymous.GetAsync("/metrics", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_count{", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/v1/images/{image_id}\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(imageId, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ClientOutsideTheMonitoringNetworks_Returns403Envelope()
    {
        using var app = ImageServiceApp.Create(settings: new Dictionary<string, string?> { ["ForwardedHeaders:TrustedProxies:0"] = "127.0.0.1" });
        var endpoint = app.StartKestrel();
        using var client = new HttpClient { BaseAddress = endpoint };

        using var response = await client.SendAsync(FromClient("203.0.113.7"), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.Forbidden, "metrics_forbidden");
    }

    [Fact]
    public async Task Metrics_ClientInAnAllowedNetwork_Returns200()
    {
        using var app = ImageServiceApp.Create(settings: new Dictionary<string, string?>
        {
            ["ForwardedHeaders:TrustedProxies:0"] = "127.0.0.1",
            ["Metrics:AllowedNetworks:0"] = "203.0.113.0/24",
        });
        var endpoint = app.StartKestrel();
        using var client = new HttpClient { BaseAddress = endpoint };

        using var response = await client.SendAsync(FromClient("203.0.113.7"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_ManagementPortConfigured_ServedThereOnlyAndTheApiIsNot()
    {
        var (api, management) = (LoopbackPort.Free(), LoopbackPort.Free());
        using var app = ImageServiceApp.Create(settings: new Dictionary<string, string?> { ["Metrics:Port"] = $"{management}" });
        app.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, api);
            o.Listen(IPAddress.Loopback, management);
        });
        app.StartServer();
        using var client = new HttpClient();

        using var onManagement = await client.GetAsync($"http://127.0.0.1:{management}/metrics", Ct);
        using var healthOnManagement = await client.GetAsync($"http://127.0.0.1:{management}/healthz", Ct);
        using var apiOnManagement = await client.GetAsync($"http://127.0.0.1:{management}/v1/images", Ct);
        using var onApi = await client.GetAsync($"http://127.0.0.1:{api}/metrics", Ct);

        Assert.Equal(HttpStatusCode.OK, onManagement.StatusCode);
        Assert.Equal(HttpStatusCode.OK, healthOnManagement.StatusCode);
        await ScpAssert.EnvelopeAsync(apiOnManagement, HttpStatusCode.NotFound, "not_found");
        await ScpAssert.EnvelopeAsync(onApi, HttpStatusCode.Forbidden, "metrics_forbidden");
    }

    [Fact]
    public async Task Metrics_Disabled_Returns404()
    {
        using var app = ImageServiceApp.Create(settings: new Dictionary<string, string?> { ["Metrics:Enabled"] = "false" });
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/metrics", Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    private static HttpRequestMessage FromClient(string address)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Forwarded-For", address);
        return request;
    }
}
