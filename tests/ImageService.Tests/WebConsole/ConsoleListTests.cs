using System.Net;
using ImageService.Protocol.Images;

namespace ImageService.Tests.WebConsole;

// The image list page is listImages: its filters, sort and paging read the same query string, and
// a bad one gets the API's own refusal.
public sealed class ConsoleListTests
{
    [Fact]
    public async Task ImageList_SortFilterAndPaging_AreListImagesOwn()
    {
        await using var app = new ImageServiceApp();
        var account = await app.CreateAccountAsync();
        using var api = app.CreateSignedClient(account);
        foreach (var (name, distro) in new[] { ("charlie", "rocky"), ("alpha", "ubuntu"), ("bravo", "ubuntu") })
        {
            using var created = await api.PostAsync("/v1/images", ApiJson.Body(new ImageCreateRequest
            {
                Name = name,
                OsDistro = distro,
                Url = $"https://object-store.example.com/{name}.qcow2",
            }), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }

        using var browser = ConsoleHttp.Browser(app);
        (await ConsoleHttp.SignInAsync(browser, account)).Dispose();

        var firstPage = await browser.GetStringAsync("/console?sort=name:asc&limit=2", TestContext.Current.CancellationToken);
        var next = ConsoleHttp.Href(firstPage, "Next page");
        Assert.StartsWith("/console?", next, StringComparison.Ordinal);
        var secondPage = await browser.GetStringAsync(next, TestContext.Current.CancellationToken);
        var ubuntu = await browser.GetStringAsync("/console?os_distro=ubuntu&sort=name:desc", TestContext.Current.CancellationToken);
        using var badSort = await browser.GetAsync("/console?sort=owner:up", TestContext.Current.CancellationToken);

        Assert.True(firstPage.IndexOf(">alpha<", StringComparison.Ordinal) < firstPage.IndexOf(">bravo<", StringComparison.Ordinal));
        Assert.DoesNotContain(">charlie<", firstPage, StringComparison.Ordinal);
        Assert.Contains("aria-sort=\"ascending\"", firstPage, StringComparison.Ordinal);
        Assert.Contains(">charlie<", secondPage, StringComparison.Ordinal);
        Assert.DoesNotContain(">alpha<", secondPage, StringComparison.Ordinal);
        Assert.True(ubuntu.IndexOf(">bravo<", StringComparison.Ordinal) < ubuntu.IndexOf(">alpha<", StringComparison.Ordinal));
        Assert.DoesNotContain(">charlie<", ubuntu, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badSort.StatusCode);
        Assert.Contains("Sort by a comma-separated list of key[:asc|desc]", await badSort.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            StringComparison.Ordinal);
    }
}
