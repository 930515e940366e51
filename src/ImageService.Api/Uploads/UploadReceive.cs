namespace ImageService.Api.Uploads;

// How Kestrel reads sockets, set for the uploads' sake (uploadImageFile, docs/api.md): by default it
// waits for data with a zero-byte receive before it rents a buffer, so every read of a body is two
// system calls, and a 1 GiB upload arrives in 4 KiB pipe blocks. Receiving straight into a rented
// block halves the calls; the price is one 4 KiB block held by each connection while it waits.
internal static class UploadReceive
{
    public static IWebHostBuilder UseDirectReceives(this IWebHostBuilder host) =>
        host.UseSockets(o => o.WaitForDataBeforeAllocatingBuffer = false);
}
