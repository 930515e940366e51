using System.Net.Http.Json;
using ImageService.Protocol;
using ImageService.Protocol.Images;

namespace ImageService.Tests.Images;

// Names sort byte by byte on every provider. A linguistic order (PostgreSQL's default collation)
// would put "a" beside "A" and ignore "-" and "_", and a keyset page computed in one order but
// scanned in another skips or repeats images.
public sealed class ImageOrderTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    private static readonly string[] Names = ["b", "B", "a", "A", "_a", "-a", "1a", "a b", "a-b", "a_b", "ab", "Ab", "a", "Z"];

    [Theory]
    [InlineData("name:asc")]
    [InlineData("name:desc")]
    public async Task ListImages_NamesOfMixedCaseAndPunctuation_PageInOrdinalOrderWithoutSkipsOrRepeats(string sort)
    {
        using var client = await app.CreateAccountClientAsync();
        var ids = new Dictionary<string, string>();
        foreach (var name in Names)
        {
            using var created = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.Create(name)), TestContext.Current.CancellationToken);
            var image = await created.ReadAsync<ImageShowResponseV1Dot2>();
            ids[image.Id] = name;
        }

        var paged = new List<ImageListItemV1Dot3>();
        string? marker = null;
        do
        {
            var page = (await client.GetFromJsonAsync<ImageListResponseV1Dot3>(
                $"/v1/images?limit=3&sort={sort}" + (marker is null ? "" : $"&marker={marker}"), ScpJson.Options, TestContext.Current.CancellationToken))!;
            paged.AddRange(page.Images);
            marker = page.Images.Count == 3 ? page.Images[^1].Id : null;
        }
        while (marker is not null);

        var expected = ids.OrderBy(i => i.Value, StringComparer.Ordinal).ThenBy(i => i.Key, StringComparer.Ordinal).Select(i => i.Key).ToList();
        if (sort.EndsWith(":desc", StringComparison.Ordinal))
        {
            expected.Reverse();
        }

        Assert.Equal(expected, paged.Select(i => i.Id));
    }
}
