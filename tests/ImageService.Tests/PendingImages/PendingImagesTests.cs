using System.Net;
using ImageService.Tests.Sharing;

namespace ImageService.Tests.PendingImages;

// GET /v1/pending-images: what other accounts shared with the caller and it has not answered yet.
public sealed class PendingImagesTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    [Fact]
    public async Task ListPendingImages_MixedShares_ListsOnlyPendingSharedImagesNewestFirst()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        using var caller = await Party.CreateAsync(app, "caller");
        using var other = await Party.CreateAsync(app, "other");
        var older = await owner.Client.CreateImageAsync(name: "older");
        await owner.Client.AddMemberWithStatusAsync(older, caller, "pending");
        var accepted = await owner.Client.CreateImageAsync(name: "accepted");
        await owner.Client.AddMemberWithStatusAsync(accepted, caller, "accepted");
        var rejected = await owner.Client.CreateImageAsync(name: "rejected");
        await owner.Client.AddMemberWithStatusAsync(rejected, caller, "rejected");
        var madePrivate = await owner.Client.CreateImageAsync(name: "private");
        await owner.Client.AddMemberWithStatusAsync(madePrivate, caller, "pending");
        (await owner.Client.SetVisibilityAsync(madePrivate, "private")).Dispose();
        var someoneElses = await owner.Client.CreateImageAsync(name: "someone-elses");
        await owner.Client.AddMemberWithStatusAsync(someoneElses, other, "pending");
        var removed = await owner.Client.CreateImageAsync(name: "removed");
        await owner.Client.AddMemberWithStatusAsync(removed, caller, "pending");
        (await owner.Client.DeleteAsync($"/v1/images/{removed}/members/{caller.AccountId}", TestContext.Current.CancellationToken)).Dispose();
        var owned = await caller.Client.CreateImageAsync(name: "owned");
        var newer = await owner.Client.CreateImageAsync(name: "newer");
        await owner.Client.AddMemberWithStatusAsync(newer, caller, "pending");

        var pending = await caller.Client.PendingImageIdsAsync();

        Assert.Equal([newer, older], pending);
        Assert.DoesNotContain(owned, pending);
        Assert.Empty(await owner.Client.PendingImageIdsAsync());
    }

    [Theory]
    [InlineData("", "a,b,c")]
    [InlineData("?scp_image_type=custom", "a,b")]
    [InlineData("?scp_image_type=standard", "c")]
    [InlineData("?scp_original_image_type=standard", "a")]
    [InlineData("?scp_image_type=custom&scp_original_image_type=standard", "a")]
    [InlineData("?scp_image_type=standard&scp_original_image_type=standard", "")]
    [InlineData("?scp_image_type=", "a,b,c")]
    [InlineData("?scp_image_type=nothing-like-it", "")]
    [InlineData("?limit=1&marker=x&sort=name:asc", "a,b,c")]
    public async Task ListPendingImages_TypeFilters_MatchTheirColumns(string query, string expected)
    {
        using var owner = await Party.CreateAsync(app, "owner");
        using var caller = await Party.CreateAsync(app, "caller");
        var names = new Dictionary<string, string>();
        foreach (var (name, imageType, originalType) in new[] { ("a", "custom", "standard"), ("b", "custom", null), ("c", "standard", null) })
        {
            var id = await owner.Client.CreateImageAsync(name: name);
            await app.SetImageTypesAsync(id, imageType, originalType);
            await owner.Client.AddMemberWithStatusAsync(id, caller, "pending");
            names[id] = name;
        }

        var pending = await caller.Client.PendingImageIdsAsync(query);

        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), pending.Select(id => names[id]).Order());
    }

    [Theory]
    [InlineData("?scp_image_type=custom&scp_image_type=standard", "invalid_scp_image_type")]
    [InlineData("?scp_original_image_type=a&scp_original_image_type=b", "invalid_scp_original_image_type")]
    public async Task ListPendingImages_FilterGivenTwice_Returns400(string query, string code)
    {
        using var caller = await Party.CreateAsync(app, "caller");

        using var response = await caller.Client.GetAsync("/v1/pending-images" + query, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([code], await response.ErrorCodesAsync());
    }

    [Fact]
    public async Task ListPendingImages_MoreThanTheLimit_ReturnsTheNewestThousand()
    {
        using var caller = await Party.CreateAsync(app, "caller");
        var ids = await app.InsertSharedImagesAsync(1001, "acct-bulk-owner", caller.AccountId, "pending");

        var pending = await caller.Client.PendingImageIdsAsync();

        Assert.Equal(ids.Skip(1).Reverse(), pending);
    }

    [Fact]
    public async Task ListPendingImages_Unsigned_Returns401()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/v1/pending-images", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(["unauthorized"], await response.ErrorCodesAsync());
    }
}
