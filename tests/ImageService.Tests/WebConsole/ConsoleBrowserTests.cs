using System.Net;
using System.Text.RegularExpressions;
using ImageService.Protocol.Sharing;
using ImageService.Tests.Imports;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ImageService.Tests.WebConsole;

// The issue's scenarios in a real browser against the real service (docs/console.md).
public sealed partial class ConsoleBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    static ConsoleBrowserTests() => SetDefaultExpectTimeout(30_000);

    [Fact]
    public async Task SignIn_WrongSecretThenRightOne_RefusesThenOpensTheEmptyList()
    {
        var account = await browser.App.CreateAccountAsync(accountName: "Team A");
        var context = await browser.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/console");
        await Expect(page).ToHaveURLAsync(new Regex("/console/sign-in"));
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await page.GetByLabel("Access key").FillAsync(account.AccessKey);
        await page.GetByLabel("Secret key").FillAsync("not-the-secret");
        var refused = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(), r => r.Request.Method == "POST");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The access key or secret is not valid");
        await ConsoleBrowser.AssertAccessibleAsync(page);

        // The keyboard alone, on a freshly loaded form (typing into the refused one raced its load on
        // a busy machine): type, Tab, type, Enter; the focused control shows its focus ring.
        await page.GotoAsync("/console/sign-in");
        await page.GetByLabel("Access key").FocusAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(account.AccessKey);
        await page.Keyboard.PressAsync("Tab");
        var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
        await page.Keyboard.TypeAsync(account.SecretKey);
        await Expect(page.GetByLabel("Access key")).ToHaveValueAsync(account.AccessKey);
        await Expect(page.GetByLabel("Secret key")).ToHaveValueAsync(account.SecretKey);
        await page.Keyboard.PressAsync("Enter");
        await ConsoleBrowser.LoadedAsync(page, new Regex("/console$"));
        var cookies = await context.CookiesAsync();
        var session = cookies.Single(c => c.Name == "imageservice.console");

        Assert.Equal((int)HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("solid", outline);
        await Expect(page).ToHaveTitleAsync("Images · Image service console");
        await Expect(page.Locator(".empty")).ToContainTextAsync("No images yet: create one from a URL");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.Equal("/console", session.Path);
        Assert.DoesNotContain(account.SecretKey, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(cookies, c => c.Value.Contains(account.SecretKey, StringComparison.Ordinal));
        await ConsoleBrowser.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task CreateImage_FromLoopbackSource_ShowsLiveProgressUntilActiveAndDownloadsTheSameBytes()
    {
        var file = browser.Disks.Qcow2WithData("console-live.qcow2", 3 << 20, seed: 21);
        var source = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        var url = browser.Storage.ServeTricklingFirst("/bucket/console-live.qcow2", source, 16 << 10);
        var (page, _, _) = await browser.SignInNewAccountAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Create from URL" }).First.ClickAsync();
        await Expect(page).ToHaveTitleAsync("Create an image from a URL · Image service console");
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await page.GetByLabel("Name").FillAsync("live import");
        await page.GetByLabel("OS distribution").SelectOptionAsync("ubuntu");
        await page.GetByLabel("Object Storage URL").FillAsync(url);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create image" }).ClickAsync();
        await ConsoleBrowser.LoadedAsync(page, new Regex("/console/images/[0-9a-f-]{36}$"));
        await Expect(page.Locator("#import-bar")).ToBeVisibleAsync();
        await Expect(page.Locator("[data-progress=bytes]")).ToHaveTextAsync(new Regex(@"of 3(\.\d)? MiB \(\d+%\)"));
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await Expect(page.Locator("#image-status")).ToHaveTextAsync("active", new() { Timeout = 60_000 });
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#download").ClickAsync());
        var saved = Path.Combine(browser.Disks.Directory, "console-download.qcow2");
        await download.SaveAsAsync(saved);

        Assert.Equal("live import.qcow2", download.SuggestedFilename);
        Assert.Equal(source, await File.ReadAllBytesAsync(saved, TestContext.Current.CancellationToken));
        await Expect(page.Locator(".details")).ToContainTextAsync(DiskImages.HashWith("md5sum", file));
        await ConsoleBrowser.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task CreateImage_RefusedUrlAndBadName_ShowsEachErrorBesideItsFieldAndStoresNothing()
    {
        var (page, account, _) = await browser.SignInNewAccountAsync();
        using var api = browser.Api(account);

        await page.GotoAsync("/console/images/new");
        await page.GetByLabel("Name").FillAsync("bad/name");
        await page.GetByLabel("OS distribution").SelectOptionAsync("rocky");
        await page.GetByLabel("Object Storage URL").FillAsync("http://elsewhere.example.net/disk.qcow2");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Create image" }).ClickAsync(), r => r.Request.Method == "POST");

        Assert.Equal((int)HttpStatusCode.BadRequest, response.Status);
        await Expect(page.Locator("#name-error")).ToContainTextAsync("'/' is not allowed in a name");
        await Expect(page.GetByLabel("Name")).ToHaveAttributeAsync("aria-invalid", "true");
        await ConsoleBrowser.AssertAccessibleAsync(page);

        await page.GetByLabel("Name").FillAsync("good name");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create image" }).ClickAsync();

        await Expect(page.Locator("#url-error")).ToBeVisibleAsync();
        await Expect(page.Locator("#name-error")).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Object Storage URL")).ToHaveAttributeAsync("aria-describedby", "url-hint url-error");
        await Expect(page.GetByLabel("Object Storage URL")).ToHaveValueAsync("http://elsewhere.example.net/disk.qcow2");
        Assert.Equal("{\"images\":[]}", await api.GetStringAsync("/v1/images", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UpdateAndDeleteImage_AsOwner_ChangeTheImageThroughTheApisRules()
    {
        var (page, account, _) = await browser.SignInNewAccountAsync();
        using var api = browser.Api(account);
        var image = await browser.ActiveImageAsync(account, "to edit", 22);

        await page.GotoAsync($"/console/images/{image.Id}");
        await Expect(page).ToHaveTitleAsync("Image to edit · Image service console");
        await page.GetByLabel("Minimum RAM (MB)").FillAsync("99999999");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.Locator("#min_ram-error")).ToHaveTextAsync("min_ram must be from 0 to 2097151.");
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await page.GetByLabel("Minimum disk (GB)").FillAsync("10");
        await page.GetByLabel("Minimum RAM (MB)").FillAsync("512");
        await page.GetByLabel("Protected (refuse deletion)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The image was updated.");
        await Expect(page.Locator("#delete-heading + p")).ToContainTextAsync("The image is protected");
        var updated = await api.GetStringAsync($"/v1/images/{image.Id}", TestContext.Current.CancellationToken);
        await page.GetByLabel("Protected (refuse deletion)").UncheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await page.GetByText("Delete this image…").ClickAsync();
        await Expect(page.Locator("details")).ToContainTextAsync("Delete image to edit and its data?");
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete to edit" }).ClickAsync();
        await ConsoleBrowser.LoadedAsync(page, new Regex("/console\\?done=deleted$"));
        using var gone = await api.GetAsync($"/v1/images/{image.Id}", TestContext.Current.CancellationToken);

        Assert.Contains("\"min_disk\":10", updated, StringComparison.Ordinal);
        Assert.Contains("\"min_ram\":512", updated, StringComparison.Ordinal);
        Assert.Contains("\"protected\":true", updated, StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The image was deleted.");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Empty(await browser.App.StoredDataOfAsync(image.Id));
    }

    [Fact]
    public async Task ImportImage_KilledImage_ShowsTheReasonAndImportsAgainFromAnotherUrl()
    {
        var (page, account, _) = await browser.SignInNewAccountAsync();
        using var api = browser.Api(account);
        var raw = browser.Disks.RawFile("console-raw.bin", 1 << 20, seed: 23);
        var good = browser.Disks.Qcow2WithData("console-again.qcow2", 1 << 20, seed: 24);
        var image = await api.WaitForImportAsync((await api.CreateFromAsync(browser.Storage.ServeFile("/bucket/not-really.qcow2", raw), "will fail")).Id);

        await page.GotoAsync($"/console/images/{image.Id}");
        await Expect(page.Locator("#killed-heading")).ToHaveTextAsync("The import failed");
        await Expect(page.Locator("#killed-reason")).Not.ToBeEmptyAsync();
        await Expect(page.GetByText("What next: import it again from another URL (below), or delete the image.")).ToBeVisibleAsync();
        await ConsoleBrowser.AssertAccessibleAsync(page);
        await page.GetByLabel("Object Storage URL").FillAsync(browser.Storage.ServeFile("/bucket/console-again.qcow2", good));
        await page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();

        await Expect(page.Locator("#image-status")).ToHaveTextAsync("active", new() { Timeout = 60_000 });
        Assert.Equal("killed", image.Status);
    }

    [Fact]
    public async Task Sharing_OwnerAddsAMember_MemberAcceptsInItsOwnBrowserContext()
    {
        var (owner, ownerAccount, ownerId) = await browser.SignInNewAccountAsync("Team A");
        var (member, _, memberId) = await browser.SignInNewAccountAsync("Team B");
        var image = await browser.ActiveImageAsync(ownerAccount, "shared one", 25);

        await member.GotoAsync("/console/pending");
        await Expect(member.Locator(".empty")).ToContainTextAsync("Nothing is waiting");
        await ConsoleBrowser.AssertAccessibleAsync(member);
        await member.GotoAsync("/console/shared");
        await Expect(member.Locator(".empty")).ToContainTextAsync("No shared images yet");
        await ConsoleBrowser.AssertAccessibleAsync(member);

        await owner.GotoAsync($"/console/images/{image.Id}");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Share image" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Status)).ToContainTextAsync("The image is shared");
        await owner.GetByLabel("Account ID to share with").FillAsync(ownerId);
        await owner.GetByRole(AriaRole.Button, new() { Name = "Add account" }).ClickAsync();
        await Expect(owner.Locator("#member-id-error")).ToContainTextAsync("never shared with its owner");
        await owner.GetByLabel("Account ID to share with").FillAsync(memberId);
        await owner.GetByRole(AriaRole.Button, new() { Name = "Add account" }).ClickAsync();
        await Expect(owner.Locator($"[data-member-status='{memberId}']")).ToHaveTextAsync("pending");
        await ConsoleBrowser.AssertAccessibleAsync(owner);

        await member.GotoAsync("/console/pending");
        await member.GetByRole(AriaRole.Button, new() { Name = "Accept shared one" }).ClickAsync();
        await Expect(member.GetByRole(AriaRole.Status)).ToHaveTextAsync("You accepted the image; it is in your list now.");
        await member.GotoAsync("/console/shared");
        await Expect(member.GetByRole(AriaRole.Link, new() { Name = "shared one" })).ToBeVisibleAsync();
        await ConsoleBrowser.AssertAccessibleAsync(member);
        await member.GotoAsync("/console");
        await Expect(member.GetByRole(AriaRole.Link, new() { Name = "shared one" })).ToBeVisibleAsync();
        await member.GetByRole(AriaRole.Link, new() { Name = "shared one" }).ClickAsync();
        await Expect(member.Locator("#membership-status")).ToHaveTextAsync("accepted");
        await ConsoleBrowser.AssertAccessibleAsync(member);

        await owner.ReloadAsync();
        await Expect(owner.Locator($"[data-member-status='{memberId}']")).ToHaveTextAsync("accepted");
        await owner.GetByRole(AriaRole.Button, new() { Name = $"Remove {memberId}" }).ClickAsync();
        await Expect(owner.GetByRole(AriaRole.Status)).ToHaveTextAsync("The account was removed.");
        await member.GotoAsync($"/console/images/{image.Id}");
        await Expect(member.GetByRole(AriaRole.Heading, new() { Name = "Image not found" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ShowImage_AnotherAccountsImage_IsNotFoundInTheConsoleEither()
    {
        var (owner, ownerAccount, _) = await browser.SignInNewAccountAsync("Team A");
        var (stranger, _, _) = await browser.SignInNewAccountAsync("Team C");
        var image = await browser.ActiveImageAsync(ownerAccount, "private one", 26);

        var shown = await stranger.GotoAsync($"/console/images/{image.Id}");
        var progress = await stranger.Context.APIRequest.GetAsync($"/console/images/{image.Id}/progress");
        var download = await stranger.Context.APIRequest.GetAsync($"/console/images/{image.Id}/file");
        await stranger.GotoAsync("/console");

        Assert.Equal((int)HttpStatusCode.NotFound, shown!.Status);
        Assert.Equal((int)HttpStatusCode.NotFound, progress.Status);
        Assert.Equal((int)HttpStatusCode.NotFound, download.Status);
        await Expect(stranger.Locator(".empty")).ToContainTextAsync("No images yet");
        await owner.GotoAsync("/console");
        await Expect(owner.GetByRole(AriaRole.Link, new() { Name = "private one" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task ConsolePages_CarryCspAndFrameDenial_AndAFormPostWithoutTheAntiforgeryTokenIsRefused()
    {
        var (page, account, _) = await browser.SignInNewAccountAsync();
        using var api = browser.Api(account);

        var response = await page.GotoAsync("/console/images/new");
        var forged = await page.Context.APIRequest.PostAsync("/console/images/new", new APIRequestContextOptions
        {
            Form = page.Context.APIRequest.CreateFormData()
                .Set("Form.Name", "forged").Set("Form.OsDistro", "ubuntu").Set("Form.Url", "https://object-store.example.com/x.qcow2"),
        });
        using var apiResponse = await api.GetAsync("/v1/images", TestContext.Current.CancellationToken);
        var headers = response!.Headers;

        Assert.Equal(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            headers["content-security-policy"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("DENY", headers["x-frame-options"]);
        Assert.Equal((int)HttpStatusCode.BadRequest, forged.Status);
        Assert.Equal("{\"images\":[]}", await apiResponse.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.False(apiResponse.Headers.Contains("Content-Security-Policy"));
        Assert.False(apiResponse.Headers.Contains("X-Frame-Options"));
    }

    [Fact]
    public async Task SignOut_FromAnyPage_EndsTheSession()
    {
        var (page, _, _) = await browser.SignInNewAccountAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await ConsoleBrowser.LoadedAsync(page, new Regex("/console/sign-in$"));
        await page.GotoAsync("/console/pending");

        await Expect(page).ToHaveURLAsync(new Regex("/console/sign-in\\?returnUrl=%2Fconsole%2Fpending$"));
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "imageservice.console");
    }

    [Fact]
    public async Task Pages_AtPhoneWidthInDarkMode_AreAccessibleAndDoNotScrollSideways()
    {
        var (page, account, _) = await browser.SignInNewAccountAsync("Team Phone", ColorScheme.Dark, 390, 844);
        var image = await browser.ActiveImageAsync(account, "phone image", 27);
        using var api = browser.Api(account);
        (await api.PostAsync($"/v1/images/{image.Id}/share", null, TestContext.Current.CancellationToken)).Dispose();
        (await api.PostAsync($"/v1/images/{image.Id}/members", ApiJson.Body(new ImageMemberCreateRequest("team-phone-member")),
            TestContext.Current.CancellationToken)).Dispose();

        foreach (var path in new[] { "/console", "/console/images/new", "/console/pending", "/console/shared", $"/console/images/{image.Id}" })
        {
            await page.GotoAsync(path);
            await ConsoleBrowser.AssertAccessibleAsync(page);
            await ConsoleBrowser.AssertNoSidewaysScrollAsync(page);
        }

        var created = page.Locator("time").First;
        await Expect(created).ToHaveAttributeAsync("title", new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$"));
        Assert.DoesNotContain("UTC", await created.TextContentAsync() ?? "UTC", StringComparison.Ordinal);
    }

    // The pictures in docs/console/: the main pages, light and dark, at desktop and phone width. They
    // go to IMAGESERVICE_CONSOLE_SCREENSHOTS when set (docs/console.md), else to a temporary folder.
    [Fact]
    public async Task Screenshots_MainPages_LightAndDarkAtDesktopAndPhoneWidth()
    {
        var folder = Environment.GetEnvironmentVariable("IMAGESERVICE_CONSOLE_SCREENSHOTS") is { Length: > 0 } set
            ? set
            : Path.Combine(browser.Disks.Directory, "screenshots");
        Directory.CreateDirectory(folder);
        var owner = await browser.App.CreateAccountAsync($"team-a-{Guid.NewGuid():N}"[..20], "Team A", "alice@example.com");
        var memberId = $"team-b-{Guid.NewGuid():N}"[..20];
        using var api = browser.Api(owner);
        var image = await browser.ActiveImageAsync(owner, "ubuntu-24-04 base", 31);
        await browser.ActiveImageAsync(owner, "rocky 9 web", 32);
        await api.WaitForImportAsync((await api.CreateFromAsync(browser.Storage.ServeFile("/bucket/broken.qcow2", browser.Disks.RawFile("broken.bin", 1 << 16, seed: 33)), "broken upload")).Id);
        (await api.PostAsync($"/v1/images/{image.Id}/share", null, TestContext.Current.CancellationToken)).Dispose();
        (await api.PostAsync($"/v1/images/{image.Id}/members", ApiJson.Body(new ImageMemberCreateRequest(memberId)), TestContext.Current.CancellationToken)).Dispose();
        var written = new List<string>();

        foreach (var (scheme, schemeName) in new[] { (ColorScheme.Light, "light"), (ColorScheme.Dark, "dark") })
        {
            foreach (var (width, height, sizeName) in new[] { (1280, 800, "desktop"), (390, 844, "phone") })
            {
                var context = await browser.NewContextAsync(scheme, width, height);
                var page = await context.NewPageAsync();
                await page.GotoAsync("/console/sign-in");
                written.Add(await ShotAsync(page, folder, $"sign-in-{schemeName}-{sizeName}.png"));
                await ConsoleBrowser.SignInAsync(page, owner);
                written.Add(await ShotAsync(page, folder, $"images-{schemeName}-{sizeName}.png"));
                await page.GotoAsync($"/console/images/{image.Id}");
                written.Add(await ShotAsync(page, folder, $"image-{schemeName}-{sizeName}.png"));
                await page.GotoAsync("/console/images/new");
                await page.GetByLabel("Name").FillAsync("debian 13");
                await page.GetByLabel("OS distribution").SelectOptionAsync("ubuntu");
                await page.GetByLabel("Object Storage URL").FillAsync("https://elsewhere.example.net/debian-13.qcow2");
                await page.GetByRole(AriaRole.Button, new() { Name = "Create image" }).ClickAsync();
                await Expect(page.Locator("#url-error")).ToBeVisibleAsync();
                written.Add(await ShotAsync(page, folder, $"create-{schemeName}-{sizeName}.png"));
                await context.CloseAsync();
            }
        }

        Assert.Equal(16, written.Count);
        Assert.All(written, file => Assert.True(new FileInfo(file).Length > 1000, file));
    }

    private static async Task<string> ShotAsync(IPage page, string folder, string name)
    {
        var path = Path.Combine(folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }
}
