using ImageService.Api.Authentication;
using ImageService.Protocol;
using ImageService.Tests.Providers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ImageService.Tests;

// The real service in-process: a real database of its own (SQLite in its own folder, or a fresh
// PostgreSQL database when the run names a server, see TestProviders), real signatures, the real
// pipeline. Tests use their own accounts.
public sealed class ImageServiceApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.Ordinal);
    private int _accounts;

    public ImageServiceApp()
        : this(TimeProvider.System, null)
    {
    }

    // An app with its own clock (a FakeTimeProvider for version and signature tests) or settings.
    public static ImageServiceApp Create(TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(time ?? TimeProvider.System, settings);

    private ImageServiceApp(TimeProvider time, IReadOnlyDictionary<string, string?>? settings)
    {
        Time = time;
        DataDirectory = Directory.CreateTempSubdirectory("imageservice-test-").FullName;
        Backend = TestBackend.Create(DataDirectory);
        foreach (var (key, value) in Backend.Settings)
        {
            _settings[key] = value;
        }

        // API tests see images stay "importing"; import tests turn the worker on and serve real files.
        _settings["Import:RunWorker"] = "false";
        _settings["Import:AllowedSources:0"] = "https://object-store.example.com/";
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

    // An HttpClient that signs like the SDK and asks for the given version (null: no header).
    public HttpClient CreateSignedClient(ScpCredentials credentials, string? apiVersion = "1.3")
    {
        var client = CreateDefaultClient(BaseAddress, new ScpSigningHandler(credentials, apiVersion, Time));
        return client;
    }

    public async Task<HttpClient> CreateAccountClientAsync(string? apiVersion = "1.3")
    {
        var credentials = await CreateAccountAsync();
        return CreateSignedClient(credentials, apiVersion);
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
