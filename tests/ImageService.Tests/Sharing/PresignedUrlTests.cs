using System.Text.Json.Nodes;
using ImageService.Tests.Images;

namespace ImageService.Tests.Sharing;

// A presigned url carries its credentials in the query: only the owner's account sees it whole;
// members and pending members see the url without its query, in every response that carries it.
public sealed class PresignedUrlTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    private const string Object = "https://object-store.example.com/bucket/images/ubuntu.qcow2";
    // Within the spec's 255 characters, as a short presigned URL is.
    private const string Presigned = Object + "?X-Amz-Credential=AKIDEXAMPLE%2F20261201%2Fkr-west1%2Fs3%2Faws4_request"
        + "&X-Amz-Expires=3600&X-Amz-Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryImageResponse_OwnersAccount_ShowsTheWholeUrl()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        using var created = await owner.Client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.Create() with { Url = Presigned, Visibility = "shared" }), Ct);
        var createdJson = await created.ReadObjectAsync();
        var id = createdJson["id"]!.GetValue<string>();
        using var updated = await owner.Client.PutAsync($"/v1/images/{id}", ApiJson.Body(new JsonObject { ["min_disk"] = 1 }), Ct);

        var urls = new[]
        {
            UrlOf(createdJson),
            UrlOf(await updated.ReadObjectAsync()),
            UrlOf(await owner.Client.GetFromJsonObjectAsync($"/v1/images/{id}")),
            UrlOf(ListedItem(await owner.Client.GetFromJsonObjectAsync("/v1/images"), id)),
        };

        Assert.All(urls, url => Assert.Equal(Presigned, url));
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("accepted")]
    [InlineData("rejected")]
    public async Task ShowImage_Member_ShowsTheUrlWithoutItsQuery(string status)
    {
        var (owner, member, id) = await SharedAsync(status);
        using (owner)
        using (member)
        {
            var shown = await member.Client.GetFromJsonObjectAsync($"/v1/images/{id}");

            Assert.Equal(Object, UrlOf(shown));
        }
    }

    [Fact]
    public async Task ListImagesAndPendingImages_Member_ShowTheUrlWithoutItsQuery()
    {
        var (owner, accepted, acceptedId) = await SharedAsync("accepted");
        var (owner2, pending, pendingId) = await SharedAsync("pending");
        using (owner)
        using (accepted)
        using (owner2)
        using (pending)
        {
            var listed = ListedItem(await accepted.Client.GetFromJsonObjectAsync("/v1/images"), acceptedId);
            var pendingListed = ListedItem(await pending.Client.GetFromJsonObjectAsync("/v1/pending-images"), pendingId);

            Assert.Equal(Object, UrlOf(listed));
            Assert.Equal(Object, UrlOf(pendingListed));
        }
    }

    [Fact]
    public async Task ShowImage_MemberOfAnImageWhoseUrlHasNoQuery_SeesTheSameUrlAsTheOwner()
    {
        var (owner, member, id) = await SharedAsync("accepted", url: Object);
        using (owner)
        using (member)
        {
            Assert.Equal(Object, UrlOf(await member.Client.GetFromJsonObjectAsync($"/v1/images/{id}")));
            Assert.Equal(Object, UrlOf(await owner.Client.GetFromJsonObjectAsync($"/v1/images/{id}")));
        }
    }

    // An image created with the presigned url, shared with a member in the given status.
    private async Task<(Party Owner, Party Member, string ImageId)> SharedAsync(string status, string url = Presigned)
    {
        var owner = await Party.CreateAsync(app, "owner");
        var member = await Party.CreateAsync(app, "member");
        var id = await owner.Client.CreateImageAsync("shared", url: url);
        await owner.Client.AddMemberWithStatusAsync(id, member, status);
        return (owner, member, id);
    }

    private static JsonObject ListedItem(JsonObject list, string id) =>
        list["images"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == id)!.AsObject();

    private static string? UrlOf(JsonObject image) => image["url"]?.GetValue<string>();
}
