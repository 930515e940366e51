using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImageService.Protocol;

namespace ImageService.Tests.Observability;

// HTTPS served by the service itself from a configured certificate (docs/operations.md#install),
// through Kestrel's own endpoint configuration, with a self-signed certificate made here.
public sealed class HttpsTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("imageservice-https-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Https_ConfiguredCertificate_ServesASignedRequestWithThatCertificate()
    {
        using var certificate = SelfSigned();
        var pfx = Path.Combine(_work, "server.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pkcs12, "test-password"), Ct);
        var port = LoopbackPort.Free();
        using var app = ImageServiceApp.Create(settings: new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Https:Url"] = $"https://127.0.0.1:{port}",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = pfx,
            ["Kestrel:Endpoints:Https:Certificate:Password"] = "test-password",
        });
        app.UseKestrel();
        app.StartServer();
        var credentials = await app.CreateAccountAsync();
        string? presented = null;
        using var tls = new HttpClientHandler
        {
            // Trust exactly the test's certificate, and remember what the server presented.
            ServerCertificateCustomValidationCallback = (_, served, _, _) =>
            {
                presented = served?.Thumbprint;
                return served?.Thumbprint == certificate.Thumbprint;
            },
        };
        using var client = new HttpClient(new ScpSigningHandler(credentials, "1.3") { InnerHandler = tls }, disposeHandler: false)
        {
            BaseAddress = new Uri($"https://127.0.0.1:{port}"),
        };

        using var response = await client.GetAsync("/v1/images", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(certificate.Thumbprint, presented);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=imageservice-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }
}
