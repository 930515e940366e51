using ImageService.Api.Authentication;
using ImageService.Api.Wire;
using ImageService.Protocol;
using ImageService.Tests.Providers;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace ImageService.Tests;

// The real service in-process: a real database of its own (SQLite in its own folder, or a fresh
// PostgreSQL database when the run names a server, see TestProviders), real signatures, the real
// pipeline. Tests use their own accounts.
public sealed class ImageServiceApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);
    private readonly Action<IServiceCollection>? _services;
    private bool _kestrel;
    private Uri? _kestrelAddress;
    private int _accounts;

    public ImageServiceApp()
        : this(TimeProvider.System, null, null)
    {
    }

    // An app with its own clock (a FakeTimeProvider for version and signature tests), settings, or
    // extra services (an EF Core interceptor that records the SQL a request runs).
    public static ImageServiceApp Create(
        TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        new(time ?? TimeProvider.System, settings, services);

    private ImageServiceApp(TimeProvider time, IReadOnlyDictionary<string, string?>? settings, Action<IServiceCollection>? services)
    {
        Time = time;
        _services = services;
        DataDirectory = Directory.CreateTempSubdirectory("imageservice-test-").FullName;
        Backend = TestBackend.Create(DataDirectory);
        foreach (var (key, value) in Backend.Settings)
        {
            _settings[key] = value;
        }

        // API tests see images stay "importing"; import tests turn the worker on and serve real files.
        _settings["Import:RunWorker"] = "false";
        _settings["Import:AllowedSources:0"] = "https://object-store.example.com/";
        _settings["Import:AllowedSources:2"] = "http://object-store.example.com/";
        _settings["Import:AllowedSources:3"] = "https://object-store.kr-west1.s.samsungsdscloud.com/";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public TimeProvider Time { get; }

    public string DataDirectory { get; }

    public TestBackend Backend { get; }

    public Uri BaseAddress { get; } = new("http://localhost");

    // A fresh account with its own key; account ids are unique within this app.
    public async Task<ScpCredentials> CreateAccountAsync(string? accountId = null, string accountName = "Test Account", string userName = "user@example.com")
    {
        accountId ??= $"acct-{Interlocked.Increment(ref _accounts):D4}-{Guid.NewGuid():N}"[..37];
        var store = Services.GetRequiredService<AccessKeyStore>();
        var (key, secret) = await store.CreateAsync(accountId, accountName, userName, CancellationToken.None);
        return new ScpCredentials(key.Id, secret, "");
    }

    // An HttpClient that signs like the SDK and asks for the given version (null: no header). The
    // signing clock is the app's unless a test skews it.
    public HttpClient CreateSignedClient(ScpCredentials credentials, string? apiVersion = "1.3", TimeProvider? signingTime = null) =>
        CreateDefaultClient(BaseAddress, new ScpSigningHandler(credentials, apiVersion, signingTime ?? Time));

    // TestServer leaves IHttpRequestFeature.RawTarget empty, so requests whose signature depends on
    // the exact bytes of the target (percent-encoding, doubled slashes) go through real Kestrel on a
    // loopback port instead. Call before anything else touches the app.
    public Uri StartKestrel()
    {
        _kestrel = true;
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        _kestrelAddress = new Uri(address);
        return _kestrelAddress;
    }

    // A signed client over a real socket to the Kestrel that StartKestrel started.
    public HttpClient CreateKestrelClient(ScpCredentials credentials, string? apiVersion = "1.3") =>
        new(new ScpSigningHandler(credentials, apiVersion) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = _kestrelAddress ?? throw new InvalidOperationException("StartKestrel first."),
        };

    public async Task<HttpClient> CreateAccountClientAsync(string? apiVersion = "1.3")
    {
        var credentials = await CreateAccountAsync();
        return CreateSignedClient(credentials, apiVersion);
    }

    // UseKestrel registers Kestrel's services again, after the service's own and after the test
    // services, and with them Kestrel's 4 KiB blocks; the service's pool goes back on top, as in the
    // real process (LargeBlockMemoryPoolTests checks the real process's order on the test server).
    protected override IHost CreateHost(IHostBuilder builder)
    {
        if (_kestrel)
        {
            builder.ConfigureServices(services => services.AddSingleton<IMemoryPoolFactory<byte>, LargeBlockMemoryPoolFactory>());
        }

        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton(Time);

            _services?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Backend.Dispose();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a finalising connection; the OS temp cleaner removes it.
            }
        }
    }
}
