using System.Net;
using ImageService.Api.Wire;
using ImageService.Protocol.Quotas;
using ImageService.Tests.Imports;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Uploads;

// Uploads over real Kestrel and a real socket. A whole one arrives byte for byte through the
// service's 64 KiB receive blocks (Wire/SocketReceives.cs). A client that goes away mid-body breaks
// the connection while the service is streaming the body into staging: nothing may be left, no
// file, no staging data, no bytes held against the quota, and the image ends killed, not importing
// for ever.
public sealed class UploadOverKestrelTests : IAsyncLifetime
{
    private readonly DiskImages _disks = new();
    private ImageServiceApp _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _app = ImageServiceApp.Create(settings: new Dictionary<string, string?> { ["Quotas:MaxBytesPerAccount"] = (1L << 30).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        _app.StartKestrel();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task UploadImageFile_Whole_ReceivesEveryByteThroughTheLargeBlocks()
    {
        // Random data, and a length that is no multiple of a block, so every receive boundary falls
        // somewhere inside a 1 MiB chunk of the import's pass.
        var file = _disks.Qcow2WithData("over-kestrel.qcow2", (12 << 20) + 12345, seed: 83);
        var bytes = await File.ReadAllBytesAsync(file, Ct);
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateKestrelClient(credentials);

        var created = await client.CreateForUploadAsync();
        using var response = await client.UploadAsync(created.Id, bytes);
        var image = await client.WaitForImportAsync(created.Id);
        using var download = await client.GetAsync(image.File, Ct);

        Assert.IsType<LargeBlockMemoryPoolFactory>(_app.Services.GetRequiredService<IMemoryPoolFactory<byte>>());
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("active", image.Status);
        Assert.Equal(DiskImages.HashWith("sha512sum", file), image.OsHashValue);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync(Ct));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100_000)]
    [InlineData(3 << 20)]
    public async Task UploadImageFile_ClientDisconnectsMidBody_LeavesNothingAndTheImageKilled(int sentBeforeBreak)
    {
        var bytes = await File.ReadAllBytesAsync(_disks.Qcow2WithData($"broken-{sentBeforeBreak}.qcow2", 6 << 20, seed: 71), Ct);
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateKestrelClient(credentials);
        var image = await client.CreateForUploadAsync();

        var upload = client.UploadAsync(image.Id, new BreakingContent(bytes, sentBeforeBreak));
        await Assert.ThrowsAnyAsync<Exception>(() => upload);
        var killed = await EventuallyAsync(client, image.Id);
        var status = await client.ImportStatusAsync(image.Id);
        var quota = await (await client.GetAsync("/v1/quota", Ct)).ReadAsync<QuotaResponse>();

        Assert.Equal("killed", killed.Status);
        Assert.Equal("upload_interrupted", status.Error?.Code);
        Assert.Empty(await _app.StoredDataOfAsync(image.Id));
        Assert.Equal((0, 0), (quota.Bytes.Stored, quota.Bytes.Importing));
    }

    // The handler ends a moment after the connection breaks.
    private static async Task<Protocol.Images.ImageShowResponseV1Dot2> EventuallyAsync(HttpClient client, string imageId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var image = await client.WaitForImportAsync(imageId);
            if (image.Status is not ("importing" or "queued") || DateTime.UtcNow > deadline)
            {
                return image;
            }

            await Task.Delay(50, Ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _disks.Dispose();
    }

    // Announces the whole length, sends the first bytes, then fails: SocketsHttpHandler aborts the
    // connection, so the service sees a body that ends short of its Content-Length.
    private sealed class BreakingContent(byte[] bytes, int breakAt) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(bytes.AsMemory(0, breakAt));
            await stream.FlushAsync();

            // Long enough for the service to have the bytes in hand and be waiting for more.
            await Task.Delay(500);
            throw new IOException("The client went away.");
        }

        protected override bool TryComputeLength(out long length)
        {
            length = bytes.Length;
            return true;
        }
    }
}
