using ImageService.Tests.Imports;

namespace ImageService.Tests.Sharing;

// The service with its import worker on, and one small real qcow2 on a loopback Object Storage
// server: the data of the permission table's shared images, so that import, import status and
// download answer as they do for an image with stored data.
public sealed class SharedImageFixture : IAsyncLifetime
{
    private readonly ImportFixture _imports = new();

    public ImageServiceApp App => _imports.App;

    public string SourceUrl { get; private set; } = "";

    public byte[] SourceBytes { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        await _imports.InitializeAsync();
        var file = _imports.Disks.Qcow2WithData("shared.qcow2", 64 << 10, seed: 41);
        SourceUrl = _imports.Storage.ServeFile("/bucket/shared.qcow2", file);
        SourceBytes = await File.ReadAllBytesAsync(file);
    }

    public ValueTask DisposeAsync() => _imports.DisposeAsync();
}
