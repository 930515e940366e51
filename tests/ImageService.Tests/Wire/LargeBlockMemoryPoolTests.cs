using System.Net;
using System.Runtime.InteropServices;
using ImageService.Api.Wire;
using ImageService.Protocol;
using ImageService.Tests.Imports;
using ImageService.Tests.Uploads;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Wire;

// Kestrel's sockets receive into 64 KiB blocks of the service's own pool (Wire/SocketReceives.cs):
// an upload and a download over a real socket carry every byte through those blocks.
public sealed class LargeBlockMemoryPoolTests : IAsyncLifetime
{
    private readonly DiskImages _disks = new();
    private ImageServiceApp _app = null!;
    private Uri _address = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _app = ImageServiceApp.Create();
        _address = _app.StartKestrel();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task UploadImageFile_OverKestrel_ReceivesEveryByteThroughTheLargeBlocks()
    {
        // Random data, and a length that is no multiple of a block, so every receive boundary falls
        // somewhere inside a 1 MiB chunk of the import's pass.
        var file = _disks.Qcow2WithData("over-kestrel.qcow2", (12 << 20) + 12345, seed: 83);
        var bytes = await File.ReadAllBytesAsync(file, Ct);
        var credentials = await _app.CreateAccountAsync();
        using var client = new HttpClient(new ScpSigningHandler(credentials, "1.3") { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = _address };

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

    // The real process registers its pool after Kestrel's defaults (WebApplication.CreateBuilder),
    // as the test server's host does; the last registration is the one Kestrel's sockets take.
    [Fact]
    public async Task Service_AsBuilt_GivesKestrelTheLargeBlockPool()
    {
        await using var app = ImageServiceApp.Create();

        Assert.IsType<LargeBlockMemoryPoolFactory>(app.Services.GetRequiredService<IMemoryPoolFactory<byte>>());
    }

    [Fact]
    public void Rent_ReturnedBlock_IsRentedAgainAndNoLargerRequestIsServed()
    {
        using var pool = new LargeBlockMemoryPool();

        var first = pool.Rent();
        var memory = first.Memory;
        first.Dispose();
        using var second = pool.Rent(LargeBlockMemoryPool.BlockSize);

        Assert.Equal(LargeBlockMemoryPool.BlockSize, pool.MaxBufferSize);
        Assert.Equal(LargeBlockMemoryPool.BlockSize, memory.Length);
        Assert.True(MemoryMarshal.TryGetArray<byte>(memory, out var before));
        Assert.True(MemoryMarshal.TryGetArray<byte>(second.Memory, out var again));
        Assert.Same(before.Array, again.Array);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(LargeBlockMemoryPool.BlockSize + 1));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _disks.Dispose();
    }
}
