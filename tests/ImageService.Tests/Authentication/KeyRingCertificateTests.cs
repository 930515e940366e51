using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageService.Tests.Authentication;

// With DataProtection:CertificatePath, every key of the ring that encrypts access-key secrets is
// itself stored encrypted (in files on SQLite, in the database on PostgreSQL), and signed requests
// still authenticate.
public sealed class KeyRingCertificateTests : IDisposable
{
    private const string Password = "key-ring-test";
    private readonly string _certificate = Path.Combine(Path.GetTempPath(), $"imageservice-ring-{Guid.NewGuid():N}.pfx");

    [Fact]
    public async Task KeyRing_CertificateConfigured_StoresEveryKeyEncrypted()
    {
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=imageservice-key-ring-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await File.WriteAllBytesAsync(_certificate, certificate.Export(X509ContentType.Pfx, Password), TestContext.Current.CancellationToken);
        }

        using var app = ImageServiceApp.Create(settings: new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = _certificate,
            ["DataProtection:CertificatePassword"] = Password,
        });
        using var client = await app.CreateAccountClientAsync();

        using var listed = await client.GetAsync("/v1/images", TestContext.Current.CancellationToken);
        var stored = app.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository!.GetAllElements();

        Assert.Equal(System.Net.HttpStatusCode.OK, listed.StatusCode);
        Assert.NotEmpty(stored);
        Assert.All(stored, key =>
        {
            // A plain key holds its secret in <masterKey><value>; an encrypted one, <encryptedSecret> only.
            Assert.Single(key.Descendants(), e => e.Name.LocalName == "encryptedSecret");
            Assert.DoesNotContain(key.Descendants(), e => e.Name.LocalName is "masterKey" or "value");
        });
    }

    public void Dispose() => File.Delete(_certificate);
}
