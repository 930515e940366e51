namespace ImageService.Tests.Imports.Sources;

// A listed host name is trusted as a URL, not as an address: whatever it resolves to is checked at
// connect time. "localhost" goes through the system's real resolver; the .test names (RFC 6761, never
// in public DNS) through Import:HostAddresses, the service's own static table, so each kind of
// address has a name. Nothing here connects anywhere but loopback: refused addresses are never dialled.
public sealed class ImportSourceNameTests(ImportSourceNameTests.Servers servers) : IClassFixture<ImportSourceNameTests.Servers>
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("loopback.test")]
    [InlineData("private.test")]
    [InlineData("shared.test")]
    [InlineData("metadata.test")]
    [InlineData("linklocal6.test")]
    [InlineData("imds6.test")]
    [InlineData("mixed.test")]
    public Task CreateImage_ListedNameResolvingToAnInternalAddress_EndsKilledAddressRefused(string host) =>
        AssertRefusedWithoutConnectingAsync(servers.Closed, host);

    [Theory]
    [InlineData("localhost")]
    [InlineData("loopback.test")]
    public async Task CreateImage_ListedNameResolvingIntoADeclaredNetwork_Imports(string host)
    {
        using var client = await servers.Open.CreateAccountClientAsync();

        var image = await client.WaitForImportAsync((await client.CreateFromAsync(servers.UrlOn(host))).Id);

        Assert.Equal("active", image.Status);
    }

    [Theory]
    [InlineData("metadata.test")]
    [InlineData("linklocal6.test")]
    [InlineData("imds6.test")]
    [InlineData("nat64metadata.test")]
    [InlineData("mixed.test")]
    public Task CreateImage_ListedNameResolvingToLinkLocalOrMetadata_RefusedEvenInADeclaredNetwork(string host) =>
        AssertRefusedWithoutConnectingAsync(servers.Open, host);

    private async Task AssertRefusedWithoutConnectingAsync(ImageServiceApp app, string host)
    {
        using var client = await app.CreateAccountClientAsync();
        var before = servers.Storage.Requests;

        var image = await client.WaitForImportAsync((await client.CreateFromAsync(servers.UrlOn(host))).Id);
        var status = await client.ImportStatusAsync(image.Id);

        Assert.Equal("killed", image.Status);
        Assert.Equal("source_address_refused", status.Error?.Code);
        Assert.Equal(before, servers.Storage.Requests);
    }

    // One loopback object store and two services that list it under every name: one declaring no
    // networks, one declaring loopback and (to show they do not count) link-local networks.
    public sealed class Servers : IAsyncLifetime
    {
        private static readonly Dictionary<string, string[]> Names = new()
        {
            ["loopback.test"] = ["127.0.0.1"],
            ["private.test"] = ["10.1.2.3"],
            ["shared.test"] = ["100.64.0.1"],
            ["metadata.test"] = ["169.254.169.254"],
            ["linklocal6.test"] = ["fe80::1"],
            ["imds6.test"] = ["fd00:ec2::254"],
            ["nat64metadata.test"] = ["64:ff9b::a9fe:a9fe"],
            ["mixed.test"] = ["127.0.0.1", "169.254.169.254"],
        };

        private readonly DiskImages _disks = new();

        public ObjectStorageServer Storage { get; private set; } = null!;

        public ImageServiceApp Closed { get; private set; } = null!;

        public ImageServiceApp Open { get; private set; } = null!;

        public string UrlOn(string host) => $"http://{host}:{Storage.BaseUri.Port}/bucket/named.qcow2";

        public async ValueTask InitializeAsync()
        {
            Storage = await ObjectStorageServer.StartAsync();
            Storage.ServeFile("/bucket/named.qcow2", _disks.Qcow2WithData("named.qcow2", 64 << 10, seed: 51));
            Closed = ImageServiceApp.Create(settings: Settings([]));
            Open = ImageServiceApp.Create(settings: Settings(["127.0.0.0/8", "::1/128", "169.254.0.0/16", "fe80::/10", "fd00::/8", "64:ff9b::/96"]));
        }

        private Dictionary<string, string?> Settings(string[] networks)
        {
            var settings = ImportFixture.Settings(Storage);
            var i = 10;
            foreach (var host in Names.Keys.Append("localhost"))
            {
                settings[$"Import:AllowedSources:{i++}"] = $"http://{host}:{Storage.BaseUri.Port}/bucket/";
            }

            foreach (var (host, addresses) in Names)
            {
                for (var a = 0; a < addresses.Length; a++)
                {
                    settings[$"Import:HostAddresses:{host}:{a}"] = addresses[a];
                }
            }

            for (var n = 0; n < networks.Length; n++)
            {
                settings[$"Import:AllowedSourceNetworks:{n}"] = networks[n];
            }

            return settings;
        }

        public async ValueTask DisposeAsync()
        {
            await Closed.DisposeAsync();
            await Open.DisposeAsync();
            await Storage.DisposeAsync();
            _disks.Dispose();
        }
    }
}
