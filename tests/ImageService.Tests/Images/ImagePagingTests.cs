using System.Text.Json.Nodes;
using ImageService.Api.Images;

namespace ImageService.Tests.Images;

// Keyset paging over 2,560 listed images, 97 at a time, following markers: every order visits
// every image exactly once, in order.
public sealed class ImagePagingTests(PagedAccount account) : IClassFixture<PagedAccount>
{
    private const int PageSize = 97;

    public static TheoryData<string> SortOrders => new()
    {
        "",
        "name:asc", "name:desc",
        "status:asc", "status:desc",
        "size:asc", "size:desc",
        "created_at:asc", "created_at:desc",
        "updated_at:asc", "updated_at:desc",
        "id:asc", "id:desc",
        "name:asc,created_at:desc",
        "status:desc,size:asc,name:asc",
        "size:desc,updated_at:asc,id:desc",
    };

    [Theory]
    [MemberData(nameof(SortOrders))]
    public async Task ListImages_FollowingMarkers_VisitsEveryImageOnceInOrder(string sort)
    {
        using var client = account.CreateClient();

        var pages = await PageThroughAsync(client, sort.Length == 0 ? "" : $"&sort={sort}");
        var ids = pages.SelectMany(p => p).ToArray();

        Assert.All(pages.SkipLast(1), page => Assert.Equal(PageSize, page.Count));
        Assert.InRange(pages[^1].Count, 0, PageSize - 1);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(account.Listed.Keys.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        var keys = Keys(sort.Length == 0 ? "created_at:desc" : sort);
        for (var i = 1; i < ids.Length; i++)
        {
            var previous = account.Listed[ids[i - 1]];
            var next = account.Listed[ids[i]];
            Assert.True(Compare(previous, next, keys) <= 0, $"{sort}: image {i} ({Describe(next)}) sorts before image {i - 1} ({Describe(previous)})");
        }
    }

    public static TheoryData<string> Filters => new()
    {
        "name=image-007",
        "name=Image-A",
        "name=image",
        "status=active",
        "status=killed",
        "visibility=shared",
        "visibility=private",
        "visibility=public",
        "os_distro=rocky",
        "scp_image_type=standard",
        "scp_original_image_type=custom",
        "status=queued&os_distro=ubuntu&visibility=private",
        "name=no-such-image",
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task ListImages_ExactMatchFilter_PagesThroughExactlyTheMatchingImages(string filter)
    {
        using var client = account.CreateClient();
        var criteria = filter.Split('&').Select(f => f.Split('=')).Select(f => (Field: f[0], Value: f[1])).ToArray();

        var ids = (await PageThroughAsync(client, "&" + filter)).SelectMany(p => p).ToArray();

        var expected = account.Listed.Values.Where(image => criteria.All(c => Field(image, c.Field) == c.Value)).Select(i => i.Id);
        Assert.Equal(expected.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Equal(ids.Length, ids.Distinct().Count());
    }

    [Fact]
    public void Fixture_NamesAndTimestampsRepeat_SoTieBreaksAreExercised()
    {
        var images = account.Listed.Values.ToArray();

        Assert.Equal(PagedAccount.OwnedCount + PagedAccount.SharedCount, images.Length);
        Assert.True(images.GroupBy(i => i.Name).Max(g => g.Count()) > PageSize / 4);
        Assert.True(images.GroupBy(i => i.CreatedAt).Max(g => g.Count()) > 2);
        Assert.True(images.GroupBy(i => i.Size).Max(g => g.Count()) > PageSize);
        Assert.Contains(images, i => i.CreatedAt.Millisecond != 0);
    }

    private static async Task<List<List<string>>> PageThroughAsync(HttpClient client, string query)
    {
        var pages = new List<List<string>>();
        string? marker = null;
        do
        {
            var path = $"/v1/images?limit={PageSize}{query}" + (marker is null ? "" : $"&marker={marker}");
            var page = (await client.GetFromJsonObjectAsync(path))["images"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToList();
            pages.Add(page);
            marker = page.Count == PageSize ? page[^1] : null;
            Assert.True(pages.Count <= 100, "paging does not end");
        }
        while (marker is not null);

        return pages;
    }

    private static (string Key, bool Descending)[] Keys(string sort) =>
        sort.Split(',').Select(part => part.Split(':')).Select(p => (p[0], p.Length < 2 || p[1] == "desc")).ToArray();

    private static int Compare(Image a, Image b, (string Key, bool Descending)[] keys)
    {
        foreach (var (key, descending) in keys)
        {
            var order = key switch
            {
                "name" => string.CompareOrdinal(a.Name, b.Name),
                "status" => string.CompareOrdinal(a.Status, b.Status),
                "size" => a.Size.CompareTo(b.Size),
                "created_at" => a.CreatedAt.CompareTo(b.CreatedAt),
                "updated_at" => a.UpdatedAt.CompareTo(b.UpdatedAt),
                "id" => string.CompareOrdinal(a.Id, b.Id),
                _ => throw new ArgumentOutOfRangeException(nameof(keys), key, null),
            };
            if (order != 0)
            {
                return descending ? -order : order;
            }
        }

        return 0;
    }

    private static string? Field(Image image, string field) => field switch
    {
        "name" => image.Name,
        "status" => image.Status,
        "visibility" => image.Visibility,
        "os_distro" => image.OsDistro,
        "scp_image_type" => image.ScpImageType,
        "scp_original_image_type" => image.ScpOriginalImageType,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    private static string Describe(Image i) => new JsonObject
    {
        ["id"] = i.Id,
        ["name"] = i.Name,
        ["status"] = i.Status,
        ["size"] = i.Size,
        ["created_at"] = i.CreatedAt.ToString("O"),
        ["updated_at"] = i.UpdatedAt.ToString("O"),
    }.ToJsonString();
}
