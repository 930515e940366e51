using System.Net;

namespace ImageService.Tests.Images;

// The query string of listImages: limit, marker, sort and filters, each problem one error.
public sealed class ImageListQueryTests(PagedAccount account) : IClassFixture<PagedAccount>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("", 20)]
    [InlineData("?limit=", 20)]
    [InlineData("?limit=1", 1)]
    [InlineData("?limit=97", 97)]
    [InlineData("?limit=1000", 1000)]
    public async Task ListImages_Limit_ReturnsThatManyImages(string query, int count)
    {
        using var client = account.CreateClient();

        var list = await client.GetFromJsonObjectAsync("/v1/images" + query);

        Assert.Equal(count, list["images"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("limit=0", "invalid_limit")]
    [InlineData("limit=1001", "invalid_limit")]
    [InlineData("limit=abc", "invalid_limit")]
    [InlineData("limit=-1", "invalid_limit")]
    [InlineData("limit=+5", "invalid_limit")]
    [InlineData("limit=1.5", "invalid_limit")]
    [InlineData("limit=99999999999", "invalid_limit")]
    [InlineData("limit=1&limit=2", "invalid_limit")]
    [InlineData("sort=foo", "invalid_sort")]
    [InlineData("sort=name:up", "invalid_sort")]
    [InlineData("sort=name:ASC", "invalid_sort")]
    [InlineData("sort=NAME:asc", "invalid_sort")]
    [InlineData("sort=name:asc:x", "invalid_sort")]
    [InlineData("sort=name,name", "invalid_sort")]
    [InlineData("sort=name:asc,", "invalid_sort")]
    [InlineData("sort=os_distro:asc", "invalid_sort")]
    [InlineData("sort=name&sort=id", "invalid_sort")]
    [InlineData("visibility=all", "invalid_visibility")]
    [InlineData("visibility=Private", "invalid_visibility")]
    [InlineData("name=a&name=b", "invalid_name")]
    public async Task ListImages_InvalidParameter_Returns400(string query, string code)
    {
        using var client = account.CreateClient();

        using var response = await client.GetAsync("/v1/images?" + query, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("not-an-id")]
    public async Task ListImages_UnknownMarker_Returns400(string marker)
    {
        using var client = account.CreateClient();

        using var response = await client.GetAsync($"/v1/images?marker={marker}", Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_marker");
    }

    [Fact]
    public async Task ListImages_SeveralBadParameters_ReturnsOneErrorEach()
    {
        using var client = account.CreateClient();

        using var response = await client.GetAsync("/v1/images?limit=0&sort=nope&visibility=all", Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_limit", "invalid_sort", "invalid_visibility");
    }

    // The SDK leaves unset filters out; a hand-written client may send them empty.
    [Fact]
    public async Task ListImages_EmptyFilters_AreIgnored()
    {
        using var client = account.CreateClient();

        var filtered = await client.GetFromJsonObjectAsync("/v1/images?limit=50&name=&status=&visibility=&os_distro=&scp_image_type=&scp_original_image_type=&sort=&marker=");
        var plain = await client.GetFromJsonObjectAsync("/v1/images?limit=50");

        Assert.Equal(plain.ToJsonString(), filtered.ToJsonString());
    }

    [Fact]
    public async Task ListImages_MarkerOfTheLastImage_ReturnsAnEmptyPage()
    {
        using var client = account.CreateClient();
        var all = await client.GetFromJsonObjectAsync("/v1/images?limit=1000&sort=id:asc&marker=" + account.Listed.Keys.Order(StringComparer.Ordinal).ElementAt(1559));

        var last = all["images"]!.AsArray()[^1]!["id"]!.GetValue<string>();
        var after = await client.GetFromJsonObjectAsync($"/v1/images?sort=id:asc&marker={last}");

        Assert.Equal(1000, all["images"]!.AsArray().Count);
        Assert.Equal(account.Listed.Keys.Max(StringComparer.Ordinal), last);
        Assert.Empty(after["images"]!.AsArray());
    }

    [Fact]
    public async Task ListImages_SortKeyWithoutDirection_SortsDescending()
    {
        using var client = account.CreateClient();

        var bare = await client.GetFromJsonObjectAsync("/v1/images?sort=size&limit=100");
        var descending = await client.GetFromJsonObjectAsync("/v1/images?sort=size:desc&limit=100");

        Assert.Equal(descending.ToJsonString(), bare.ToJsonString());
    }
}
