using System.Globalization;
using System.Net;
using ImageService.Protocol.Quotas;
using ImageService.Tests.Imports;

namespace ImageService.Tests.Uploads;

// The limits an import has, on an upload: Import:MaxImageBytes and the account's byte quota, the
// moment the bytes pass them.
public sealed class UploadLimitTests : IAsyncLifetime
{
    private const int Quota = 3 << 20;
    private const long MaxImageBytes = 5 << 20;
    private readonly DiskImages _disks = new();
    private ImageServiceApp _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _app = ImageServiceApp.Create(settings: new Dictionary<string, string?>
        {
            ["Import:MaxImageBytes"] = MaxImageBytes.ToString(CultureInfo.InvariantCulture),
            ["Quotas:MaxBytesPerAccount"] = Quota.ToString(CultureInfo.InvariantCulture),
        });
        return ValueTask.CompletedTask;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UploadImageFile_PastTheAccountsQuota_Answers413QuotaExceededAndHoldsNothing(bool announceLength)
    {
        var bytes = await File.ReadAllBytesAsync(_disks.Qcow2WithData($"quota-{announceLength}.qcow2", 4 << 20, seed: 61), Ct);
        using var client = await _app.CreateAccountClientAsync();
        var image = await client.CreateForUploadAsync();

        using var response = await client.UploadAsync(image.Id, bytes, announceLength: announceLength);
        var quota = await (await client.GetAsync("/v1/quota", Ct)).ReadAsync<QuotaResponse>();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(["quota_exceeded"], await response.ErrorCodesAsync());
        Assert.Equal("killed", (await client.WaitForImportAsync(image.Id)).Status);
        Assert.Empty(await _app.StoredDataOfAsync(image.Id));
        Assert.Equal((0, 0), (quota.Bytes.Stored, quota.Bytes.Importing));
    }

    [Fact]
    public async Task UploadImageFile_ContentLengthAboveMaxImageBytes_Answers413AtOnceAndTheImageStaysQueued()
    {
        using var client = await _app.CreateAccountClientAsync();
        var image = await client.CreateForUploadAsync();

        using var response = await client.UploadAsync(image.Id, new byte[MaxImageBytes + 1]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(["source_too_large"], await response.ErrorCodesAsync());
        Assert.Equal("queued", (await client.WaitForImportAsync(image.Id)).Status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _disks.Dispose();
    }
}
