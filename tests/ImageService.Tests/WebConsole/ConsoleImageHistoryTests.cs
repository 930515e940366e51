using System.Net;
using System.Text.RegularExpressions;
using ImageService.Protocol.Images;

namespace ImageService.Tests.WebConsole;

// The image page shows the account's own audit events for that image (docs/audit.md), newest
// first, and nothing of its other images.
public sealed partial class ConsoleImageHistoryTests
{
    [Fact]
    public async Task ImagePage_ShowsTheAccountsEventsForThatImageOnly_NewestFirst()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = new ImageServiceApp();
        var owner = await app.CreateAccountAsync();
        using var api = app.CreateSignedClient(owner);
        var first = await CreateAsync(api, "first", ct);
        await CreateAsync(api, "second", ct);
        using var updated = await api.PutAsync($"/v1/images/{first}", ApiJson.Body(new ImageSetRequest { MinDisk = 5 }), ct);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);

        using var browser = ConsoleHttp.Browser(app);
        (await ConsoleHttp.SignInAsync(browser, owner)).Dispose();
        var page = await browser.GetStringAsync($"/console/images/{first}", ct);

        var operations = Operation().Matches(page).Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(["updateImage", "createImage"], operations);
        Assert.Contains("id=\"history-heading\"", page, StringComparison.Ordinal);
        Assert.Contains(owner.AccessKey, page, StringComparison.Ordinal);
    }

    private static async Task<string> CreateAsync(HttpClient api, string name, CancellationToken ct)
    {
        using var created = await api.PostAsync("/v1/images", ApiJson.Body(new ImageCreateRequest
        {
            Name = name,
            OsDistro = "ubuntu",
            Url = $"https://object-store.example.com/{name}.qcow2",
        }), ct);
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        return (await created.ReadAsync<ImageShowResponse>()).Id;
    }

    [GeneratedRegex("<code data-audit-operation>([a-zA-Z]+)</code>")]
    private static partial Regex Operation();
}
