using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using ImageService.Protocol;
using ImageService.Protocol.Images;
using ImageService.Tests.Imports;
using Microsoft.Playwright;

namespace ImageService.Tests.WebConsole;

// The real service on real Kestrel (loopback), importing from a loopback Object Storage server, and
// Debian's Chromium driven by Playwright. Playwright cannot download browsers here, so the tests use
// /usr/bin/chromium (.ci/run installs it) and fail, never skip, when it is missing.
public sealed class ConsoleBrowser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public ObjectStorageServer Storage { get; private set; } = null!;

    public ImageServiceApp App { get; private set; } = null!;

    public DiskImages Disks { get; } = new();

    public Uri BaseUri { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"The web console's browser tests need Debian's Chromium at {ChromiumPath}: run 'apt-get install -y chromium' (.ci/run does).");
        }

        Storage = await ObjectStorageServer.StartAsync();
        App = ImageServiceApp.Create(settings: ImportFixture.Settings(Storage));
        BaseUri = App.StartKestrel();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public Task<IBrowserContext> NewContextAsync(ColorScheme scheme = ColorScheme.Light, int width = 1280, int height = 800) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUri.ToString().TrimEnd('/'),
            ColorScheme = scheme,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
            TimezoneId = "Asia/Seoul",
            Locale = "en-US",
        });

    // The account's signed API client, over the same Kestrel port the browser uses.
    public HttpClient Api(ScpCredentials account) =>
        new(new ScpSigningHandler(account, "1.3", TimeProvider.System) { InnerHandler = new HttpClientHandler() }) { BaseAddress = BaseUri };

    // An active image of the account's, imported through the API from the loopback store.
    public async Task<ImageShowResponseV1Dot2> ActiveImageAsync(ScpCredentials account, string name, int seed)
    {
        using var api = Api(account);
        var fileName = $"{Guid.NewGuid():N}.qcow2";
        var url = Storage.ServeFile($"/bucket/{fileName}", Disks.Qcow2WithData(fileName, 1 << 20, seed));
        return await api.WaitForImportAsync((await api.CreateFromAsync(url, name)).Id);
    }

    // A fresh account, signed in through the form in its own browser context.
    public async Task<(IPage Page, ScpCredentials Account, string AccountId)> SignInNewAccountAsync(
        string accountName = "Team A", ColorScheme scheme = ColorScheme.Light, int width = 1280, int height = 800)
    {
        var accountId = $"console-{Guid.NewGuid():N}"[..32];
        var account = await App.CreateAccountAsync(accountId, accountName);
        var context = await NewContextAsync(scheme, width, height);
        var page = await context.NewPageAsync();
        await SignInAsync(page, account);
        return (page, account, accountId);
    }

    public static async Task SignInAsync(IPage page, ScpCredentials account)
    {
        await page.GotoAsync("/console/sign-in");
        await page.GetByLabel("Access key").FillAsync(account.AccessKey);
        await page.GetByLabel("Secret key").FillAsync(account.SecretKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await LoadedAsync(page, new Regex("/console$"));
    }

    // The page at that URL, fully loaded. Playwright's WaitForURLAsync waits for the new document's
    // "load" lifecycle event, and after a form's POST and redirect it sometimes never saw that event
    // (CI: 30 s timeouts with only "NetworkIdle" fired, twice in two runs). The URL is polled instead,
    // and then the document's own readyState, which is "complete" exactly when its load has fired.
    public static async Task LoadedAsync(IPage page, Regex url)
    {
        await Assertions.Expect(page).ToHaveURLAsync(url);
        await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
    }

    // axe-core on the page as it is: nothing of impact serious or critical.
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var results = await page.RunAxe();
        var problems = results.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(" | ", v.Nodes.Select(n => n.Html))}")
            .ToArray();
        Assert.True(problems.Length == 0, $"axe on {page.Url}:\n{string.Join("\n", problems)}");
    }

    // Nothing wider than the viewport: at phone width only a table's own scroller may scroll sideways.
    public static async Task AssertNoSidewaysScrollAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            $"{page.Url} scrolls sideways at {page.ViewportSize?.Width} px");

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        if (Storage is not null)
        {
            await Storage.DisposeAsync();
        }

        Disks.Dispose();
    }
}
