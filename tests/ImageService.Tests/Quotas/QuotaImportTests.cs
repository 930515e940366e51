using System.Diagnostics.Metrics;
using System.Net;
using ImageService.Api.Observability;
using ImageService.Tests.Audit;
using ImageService.Tests.Images;
using ImageService.Tests.Imports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace ImageService.Tests.Quotas;

// Quotas:MaxBytesPerAccount during a real import: refused when the source announces more than is
// left, stopped the moment an unannounced stream passes it, and a full account cannot add images.
public sealed class QuotaImportTests : IAsyncLifetime
{
    private const int Limit = 3 << 20;
    private readonly DiskImages _disks = new();
    private ObjectStorageServer _storage = null!;
    private ImageServiceApp _app = null!;
    private byte[] _bytes = [];

    public async ValueTask InitializeAsync()
    {
        _storage = await ObjectStorageServer.StartAsync();
        var settings = ImportFixture.Settings(_storage);
        settings["Quotas:MaxBytesPerAccount"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _app = ImageServiceApp.Create(settings: settings);
        _bytes = await File.ReadAllBytesAsync(_disks.Qcow2WithData("two.qcow2", 2 << 20, seed: 31), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Import_SourceAnnouncesMoreThanIsLeft_EndsKilledWithQuotaExceededAndStoresNothing()
    {
        using var client = await _app.CreateAccountClientAsync();
        using var refusals = new MetricCollector<long>(
            _app.Services.GetRequiredService<IMeterFactory>(), ImageServiceMeter.Name, "imageservice.quota.refusals");
        var announced = _storage.Serve("/bucket/announced.qcow2", context =>
        {
            context.Response.ContentLength = _bytes.Length;
            return context.Response.Body.WriteAsync(_bytes).AsTask();
        });

        var first = await client.WaitForImportAsync((await client.CreateFromAsync(announced, "fits")).Id);
        var second = await client.WaitForImportAsync((await client.CreateFromAsync(announced, "does-not-fit")).Id);
        var secondStatus = await client.ImportStatusAsync(second.Id);

        Assert.Equal(("active", "killed"), (first.Status, second.Status));
        Assert.Equal("quota_exceeded", secondStatus.Error?.Code);
        Assert.Contains($"announced {_bytes.Length} bytes", secondStatus.Error!.Detail, StringComparison.Ordinal);
        Assert.Equal(0, secondStatus.BytesDone);
        Assert.Empty(await _app.StoredDataOfAsync(second.Id));
        var ends = (await client.AuditAsync($"?image_id={second.Id}")).Where(e => e.Operation == "runImport").ToArray();
        Assert.Equal([("failed", "quota_exceeded")], ends.Select(e => (e.Outcome, e.Detail)));
        Assert.Equal(QuotaMetrics.Bytes, Assert.Single(refusals.GetMeasurementSnapshot()).Tags["limit"]);
    }

    [Fact]
    public async Task Import_UnannouncedStreamPassesTheQuota_StopsThereWithQuotaExceeded()
    {
        using var client = await _app.CreateAccountClientAsync();
        var announced = _storage.Serve("/bucket/first.qcow2", context =>
        {
            context.Response.ContentLength = _bytes.Length;
            return context.Response.Body.WriteAsync(_bytes).AsTask();
        });
        var chunked = _storage.Serve("/bucket/chunked.qcow2", async context =>
        {
            for (var offset = 0; offset < _bytes.Length; offset += 64 << 10)
            {
                await context.Response.Body.WriteAsync(_bytes.AsMemory(offset, 64 << 10), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        });

        var first = await client.WaitForImportAsync((await client.CreateFromAsync(announced, "fits")).Id);
        var second = await client.WaitForImportAsync((await client.CreateFromAsync(chunked, "passes")).Id);
        var secondStatus = await client.ImportStatusAsync(second.Id);

        Assert.Equal(("active", "killed"), (first.Status, second.Status));
        Assert.Equal("quota_exceeded", secondStatus.Error?.Code);
        Assert.Empty(await _app.StoredDataOfAsync(second.Id));
    }

    [Fact]
    public async Task CreateImage_AccountBytesAllUsed_Returns413()
    {
        var settings = ImportFixture.Settings(_storage);
        settings["Quotas:MaxBytesPerAccount"] = _bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var app = ImageServiceApp.Create(settings: settings);
        using var client = await app.CreateAccountClientAsync();
        var exact = _storage.Serve("/bucket/exact.qcow2", context =>
        {
            context.Response.ContentLength = _bytes.Length;
            return context.Response.Body.WriteAsync(_bytes).AsTask();
        });

        var filled = await client.WaitForImportAsync((await client.CreateFromAsync(exact, "fills")).Id);
        using var refused = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.Create("no-room")), TestContext.Current.CancellationToken);
        var detail = (await refused.ReadObjectAsync())["errors"]![0]!["detail"]!.GetValue<string>();

        Assert.Equal("active", filled.Status);
        await ScpAssert.EnvelopeAsync(refused, HttpStatusCode.RequestEntityTooLarge, "quota_exceeded");
        Assert.Contains($"may store {_bytes.Length} bytes and uses {_bytes.Length}", detail, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _storage.DisposeAsync();
        _disks.Dispose();
    }
}
