using Microsoft.AspNetCore.Connections;

namespace ImageService.Api.Wire;

// How large Kestrel's socket receives are, set for the uploads' sake (uploadImageFile, docs/api.md):
// a receive fills one block of the connection's memory pool, and Kestrel's blocks are 4 KiB, so a
// 1 GiB upload took 262,144 receives (and as many zero-byte receives before them, Kestrel's wait
// for data), each then one read of the request body. With 64 KiB blocks (LargeBlockMemoryPool) it
// takes sixteen times fewer. Kestrel still waits for data before it rents a block, so an idle
// connection holds none: a client that opens many connections and sends nothing pins no memory.
internal static class SocketReceives
{
    public static IWebHostBuilder UseLargeReceiveBlocks(this IWebHostBuilder host) =>
        host.ConfigureServices(services => services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>());
}
