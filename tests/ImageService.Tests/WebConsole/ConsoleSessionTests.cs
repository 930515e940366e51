using System.Net;
using ImageService.Api.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ImageService.Tests.WebConsole;

// The console's session rules through the real pipeline, without a browser: what the cookie is, what
// it opens, and when it stops working.
public sealed class ConsoleSessionTests
{
    [Fact]
    public async Task SignIn_OverHttps_SetsASecureHttpOnlyStrictCookieThatDoesNotAuthenticateTheApi()
    {
        await using var app = new ImageServiceApp();
        var account = await app.CreateAccountAsync();
        using var browser = ConsoleHttp.Browser(app, "https://localhost");

        using var signedIn = await ConsoleHttp.SignInAsync(browser, account);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("imageservice.console=", StringComparison.Ordinal));
        using var api = new HttpRequestMessage(HttpMethod.Get, "/v1/images");
        api.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var apiResponse = await browser.SendAsync(api, TestContext.Current.CancellationToken);
        using var page = await browser.GetAsync("/console", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/console", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, apiResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Session_KeyRevoked_EndsAtTheNextRequest()
    {
        await using var app = new ImageServiceApp();
        var account = await app.CreateAccountAsync();
        using var browser = ConsoleHttp.Browser(app);
        (await ConsoleHttp.SignInAsync(browser, account)).Dispose();

        using var before = await browser.GetAsync("/console", TestContext.Current.CancellationToken);
        await app.Services.GetRequiredService<AccessKeyStore>().RevokeAsync(account.AccessKey, TestContext.Current.CancellationToken);
        using var after = await browser.GetAsync("/console", TestContext.Current.CancellationToken);
        using var signInAgain = await ConsoleHttp.SignInAsync(browser, account);

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/console/sign-in", after.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, signInAgain.StatusCode);
    }

    [Fact]
    public async Task Session_IdleLongerThanIdleTimeout_Ends()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var app = ImageServiceApp.Create(time, new Dictionary<string, string?> { ["Console:IdleTimeout"] = "00:20:00" });
        var account = await app.CreateAccountAsync();
        using var browser = ConsoleHttp.Browser(app);
        (await ConsoleHttp.SignInAsync(browser, account)).Dispose();

        time.Advance(TimeSpan.FromMinutes(15));
        using var active = await browser.GetAsync("/console", TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMinutes(21));
        using var idle = await browser.GetAsync("/console", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, active.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, idle.StatusCode);
    }

    [Fact]
    public async Task Session_OlderThanAbsoluteTimeout_EndsThoughItWasNeverIdle()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var app = ImageServiceApp.Create(time, new Dictionary<string, string?>
        {
            ["Console:IdleTimeout"] = "00:30:00",
            ["Console:AbsoluteTimeout"] = "01:00:00",
        });
        var account = await app.CreateAccountAsync();
        using var browser = ConsoleHttp.Browser(app);
        (await ConsoleHttp.SignInAsync(browser, account)).Dispose();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            time.Advance(TimeSpan.FromMinutes(20));
            using var response = await browser.GetAsync("/console", TestContext.Current.CancellationToken);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Redirect], statuses);
    }

    [Fact]
    public async Task SignIn_TooManyFailuresFromOneAddress_RefusesEvenTheRightSecretWith429()
    {
        await using var app = ImageServiceApp.Create(settings: new Dictionary<string, string?> { ["Console:SignInFailureLimit"] = "2" });
        var account = await app.CreateAccountAsync();
        using var browser = ConsoleHttp.Browser(app);
        var wrong = account with { SecretKey = "wrong" };

        using var first = await ConsoleHttp.SignInAsync(browser, wrong);
        using var second = await ConsoleHttp.SignInAsync(browser, wrong);
        using var right = await ConsoleHttp.SignInAsync(browser, account);

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.NotNull(right.Headers.RetryAfter);
        Assert.Contains("Too many failed sign-ins", await right.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("//evil.example/console")]
    [InlineData("https://evil.example/console")]
    [InlineData("/\\evil.example")]
    [InlineData("/v1/images")]
    public async Task SignIn_ReturnUrlOutsideTheConsole_GoesToTheConsoleInstead(string returnUrl)
    {
        await using var app = new ImageServiceApp();
        var account = await app.CreateAccountAsync();
        using var browser = ConsoleHttp.Browser(app);

        using var response = await ConsoleHttp.SignInAsync(browser, account, returnUrl);

        Assert.Equal("/console", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ConsoleForms_PostedWithoutTheAntiforgeryToken_AreRefused()
    {
        await using var app = new ImageServiceApp();
        var account = await app.CreateAccountAsync();
        using var browser = ConsoleHttp.Browser(app);
        (await ConsoleHttp.SignInAsync(browser, account)).Dispose();

        using var signOut = await browser.PostAsync("/console/sign-out", new FormUrlEncodedContent([]), TestContext.Current.CancellationToken);
        using var signIn = await browser.PostAsync("/console/sign-in",
            new FormUrlEncodedContent([new("accessKey", account.AccessKey), new("secretKey", account.SecretKey)]), TestContext.Current.CancellationToken);
        using var stillIn = await browser.GetAsync("/console", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
    }
}
