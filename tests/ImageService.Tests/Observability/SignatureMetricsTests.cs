using System.Net;
using ImageService.Api.Observability;
using ImageService.Protocol;
using ImageService.Tests.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace ImageService.Tests.Observability;

// imageservice.signature.failures counts refused requests by why they were refused, which the
// client is never told (docs/signing.md); anonymous endpoints count nothing.
public sealed class SignatureMetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignatureFailures_EachKindOfRefusal_CountedByReason()
    {
        using var app = ImageServiceApp.Create();
        var credentials = await app.CreateAccountAsync();
        using var collector = Collector(app);
        using var client = app.CreateClient();
        var now = app.Time.Timestamp();
        var stranger = new ScpCredentials("AKNOSUCHKEY0000000000", "c2VjcmV0", "");

        await Send(client, new HttpRequestMessage(HttpMethod.Get, "/v1/images"));
        await Send(client, HandSigned.Request(HttpMethod.Get, "/v1/images", credentials, "/v1/images", "not-a-time"));
        await Send(client, HandSigned.Request(HttpMethod.Get, "/v1/images", credentials, "/v1/images", app.Time.Timestamp(TimeSpan.FromHours(-1))));
        await Send(client, HandSigned.Request(HttpMethod.Get, "/v1/images", stranger, "/v1/images", now));
        await Send(client, HandSigned.Request(HttpMethod.Get, "/v1/images", credentials, "/v1/images", now, secret: "d3Jvbmc="));
        await Send(client, HandSigned.Request(HttpMethod.Get, "/v1/images", credentials, "/v1/images", now, secret: "d3Jvbmc="));

        var counted = collector.GetMeasurementSnapshot()
            .GroupBy(m => (string)m.Tags["reason"]!)
            .ToDictionary(g => g.Key, g => g.Sum(m => m.Value));
        Assert.Equal(
            new Dictionary<string, long>
            {
                [SignatureMetrics.Unsigned] = 1,
                [SignatureMetrics.Malformed] = 1,
                [SignatureMetrics.Expired] = 1,
                [SignatureMetrics.UnknownKey] = 1,
                [SignatureMetrics.Mismatch] = 2,
            },
            counted);
    }

    [Fact]
    public async Task SignatureFailures_UnsignedRequestsToAnonymousEndpoints_CountNothing()
    {
        using var app = ImageServiceApp.Create();
        using var collector = Collector(app);
        using var client = app.CreateClient();

        using var health = await client.GetAsync("/healthz", Ct);
        using var versions = await client.GetAsync("/", Ct);
        using var metrics = await client.GetAsync("/metrics", Ct);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Empty(collector.GetMeasurementSnapshot());
    }

    private static MetricCollector<long> Collector(ImageServiceApp app) =>
        new(app.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), ImageServiceMeter.Name, "imageservice.signature.failures");

    private static async Task Send(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        using (var response = await client.SendAsync(request, Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }
}
