using ImageService.Tests.Images;

namespace ImageService.Tests.Audit;

// The caller's address is the connection's, or what a trusted proxy says it forwarded for: the
// same ForwardedHeaders:TrustedProxies rules the signature check uses. Real Kestrel, since the test
// server has no remote address.
public sealed class AuditCallerAddressTests : IDisposable
{
    private readonly ImageServiceApp _app = ImageServiceApp.Create(settings: new Dictionary<string, string?>
    {
        ["ForwardedHeaders:TrustedProxies:0"] = "127.0.0.1",
    });

    [Fact]
    public async Task CreateImage_DirectOrThroughTrustedProxy_RecordsTheClientsAddress()
    {
        _app.StartKestrel();
        var credentials = await _app.CreateAccountAsync();
        using var client = _app.CreateKestrelClient(credentials);

        var direct = await client.CreateImageAsync();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        var forwarded = await client.CreateImageAsync();
        var trail = await client.AuditAsync();

        Assert.Equal("127.0.0.1", trail.Single(e => e.ImageId == direct).CallerAddress);
        Assert.Equal("203.0.113.7", trail.Single(e => e.ImageId == forwarded).CallerAddress);
    }

    public void Dispose() => _app.Dispose();
}
