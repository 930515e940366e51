using System.Diagnostics.Metrics;
using System.Net;
using ImageService.Api.Observability;
using ImageService.Protocol.Quotas;
using ImageService.Tests.Audit;
using ImageService.Tests.Images;
using ImageService.Tests.Imports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace ImageService.Tests.Quotas;

// Quotas:MaxImagesPerAccount at createImage, exact under concurrency on whichever database the run
// uses; per-account overrides through the real `quotas set` command (docs/quotas.md).
public sealed class QuotaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateImage_AtTheImageQuota_Returns413NamingTheLimitAndUseAndStoresNothing()
    {
        using var app = ImageServiceApp.Create(settings: new Dictionary<string, string?> { ["Quotas:MaxImagesPerAccount"] = "2" });
        using var client = await app.CreateAccountClientAsync();
        using var refusals = new MetricCollector<long>(
            app.Services.GetRequiredService<IMeterFactory>(), ImageServiceMeter.Name, "imageservice.quota.refusals");
        await client.CreateImageAsync();
        await client.CreateImageAsync();

        using var refused = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.Create("one-too-many")), Ct);
        var detail = (await refused.ReadObjectAsync())["errors"]![0]!["detail"]!.GetValue<string>();

        await ScpAssert.EnvelopeAsync(refused, HttpStatusCode.RequestEntityTooLarge, "quota_exceeded");
        Assert.Contains("may own 2 images and owns 2", detail, StringComparison.Ordinal);
        Assert.Equal(2, (await client.GetFromJsonObjectAsync("/v1/images"))["images"]!.AsArray().Count);
        Assert.DoesNotContain("one-too-many", await client.GetStringAsync("/v1/images?name=one-too-many", Ct), StringComparison.Ordinal);
        Assert.Equal(2, (await client.AuditAsync()).Count(e => e.Operation == "createImage"));
        Assert.Equal(QuotaMetrics.Images, Assert.Single(refusals.GetMeasurementSnapshot()).Tags["limit"]);
    }

    [Fact]
    public async Task CreateImage_FiftyAtOnceAgainstALimitOfTen_LeavesExactlyTen()
    {
        using var app = ImageServiceApp.Create(settings: new Dictionary<string, string?> { ["Quotas:MaxImagesPerAccount"] = "10" });
        using var client = await app.CreateAccountClientAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.Create($"racer-{i}")), Ct)));
        var listed = (await client.GetFromJsonObjectAsync("/v1/images?limit=100"))["images"]!.AsArray();
        var quota = await client.GetFromJsonObjectAsync("/v1/quota");

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(40, responses.Count(r => r.StatusCode == HttpStatusCode.RequestEntityTooLarge));
        Assert.Equal(10, listed.Count);
        Assert.Equal(10, quota["images"]!["used"]!.GetValue<long>());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task ShowQuota_DefaultsUnlimited_ReturnsUseWithNullLimits()
    {
        using var app = ImageServiceApp.Create();
        using var client = await app.CreateAccountClientAsync();
        await client.CreateImageAsync();

        using var response = await client.GetAsync("/v1/quota", Ct);
        var quota = await response.ReadAsync<QuotaResponse>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new QuotaImages(1, null), quota.Images);
        Assert.Equal(new QuotaBytes(0, 0, 0, null), quota.Bytes);
    }

    [Fact]
    public async Task QuotasSet_OverrideForOneAccount_AppliesToItAloneUntilSetBackToDefault()
    {
        using var app = ImageServiceApp.Create();
        var limitedId = $"limited-{Guid.NewGuid():N}"[..24];
        using var limited = app.CreateSignedClient(await app.CreateAccountAsync(limitedId));
        using var other = await app.CreateAccountClientAsync();
        var environment = app.Backend.Environment();

        var set = await ServiceProcess.RunAsync(environment, Ct, "quotas", "set", "--account", limitedId, "--images", "1", "--bytes", "2GiB");
        await limited.CreateImageAsync();
        using var refused = await limited.PostAsync("/v1/images", ApiJson.Body(ImageRequests.Create()), Ct);
        await other.CreateImageAsync();
        await other.CreateImageAsync();
        var show = await ServiceProcess.RunAsync(environment, Ct, "quotas", "show", "--account", limitedId);
        var reset = await ServiceProcess.RunAsync(environment, Ct, "quotas", "set", "--account", limitedId, "--images", "default");
        await limited.CreateImageAsync();
        var bad = await ServiceProcess.RunAsync(environment, Ct, "quotas", "set", "--account", limitedId, "--images", "ten");

        Assert.Equal(0, set.ExitCode);
        Assert.Contains("\"limit\":1", set.Output, StringComparison.Ordinal);
        await ScpAssert.EnvelopeAsync(refused, HttpStatusCode.RequestEntityTooLarge, "quota_exceeded");
        Assert.Contains("\"images\":{\"used\":1,\"limit\":1}", show.Output, StringComparison.Ordinal);
        Assert.Contains($"\"limit\":{2L << 30}", show.Output, StringComparison.Ordinal);
        Assert.Equal(0, reset.ExitCode);
        Assert.Equal(2, bad.ExitCode);
        var changes = (await limited.AuditAsync()).Where(e => e.Operation == "setQuota").Select(e => e.Detail).ToArray();
        Assert.Equal([$"images=default bytes={2L << 30}", $"images=1 bytes={2L << 30}"], changes);
    }
}
