using ImageService.Protocol.Images;

namespace ImageService.Tests.Images;

// Valid request bodies to start from; tests change one thing at a time.
public static class ImageRequests
{
    public const string Url = "https://object-store.example.com/bucket/images/ubuntu.qcow2";

    public static ImageCreateRequest Create(string name = "test-image") => new()
    {
        Name = name,
        OsDistro = "ubuntu",
        Url = Url,
    };
}
