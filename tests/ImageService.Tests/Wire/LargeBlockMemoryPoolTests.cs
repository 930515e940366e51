using System.Runtime.InteropServices;
using ImageService.Api.Wire;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Wire;

// Kestrel's sockets receive into 64 KiB blocks of the service's own pool (Wire/SocketReceives.cs);
// an upload over a real socket through them is UploadOverKestrelTests'.
public sealed class LargeBlockMemoryPoolTests
{
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
}
