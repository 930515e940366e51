using System.Net;

namespace ImageService.Tests.Sharing;

// POST /v1/images/{id}/share: 202, visibility becomes shared, only for an active image.
public sealed class ShareImageTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    [Fact]
    public async Task ShareImage_ActivePrivateImage_Returns202AndMakesItShared()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        using var member = await Party.CreateAsync(app, "member");
        var imageId = await owner.Client.CreateImageAsync("private");
        await app.MarkActiveAsync(imageId);

        using var shared = await owner.Client.ShareAsync(imageId);
        var image = await owner.Client.ShowImageAsync(imageId);
        using var added = await owner.Client.AddMemberAsync(imageId, member.AccountId);

        Assert.Equal(HttpStatusCode.Accepted, shared.StatusCode);
        Assert.Empty(await shared.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal("shared", image.Visibility);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
    }

    [Fact]
    public async Task ShareImage_Twice_Returns202AndChangesNothingTheSecondTime()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        var imageId = await owner.Client.CreateImageAsync("private");
        await app.MarkActiveAsync(imageId);
        using var first = await owner.Client.ShareAsync(imageId);
        var afterFirst = await owner.Client.GetStringAsync($"/v1/images/{imageId}", TestContext.Current.CancellationToken);

        using var second = await owner.Client.ShareAsync(imageId);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(afterFirst, await owner.Client.GetStringAsync($"/v1/images/{imageId}", TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("private")]
    [InlineData("shared")]
    public async Task ShareImage_ImageNotActive_Returns409(string visibility)
    {
        using var owner = await Party.CreateAsync(app, "owner");
        var imageId = await owner.Client.CreateImageAsync(visibility);

        using var response = await owner.Client.ShareAsync(imageId);
        var image = await owner.Client.ShowImageAsync(imageId);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(["image_not_active"], await response.ErrorCodesAsync());
        Assert.Equal("importing", image.Status);
        Assert.Equal(visibility, image.Visibility);
    }

    [Fact]
    public async Task ShareImage_UnknownImage_Returns404()
    {
        using var owner = await Party.CreateAsync(app, "owner");

        using var response = await owner.Client.ShareAsync(Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(["image_not_found"], await response.ErrorCodesAsync());
    }

    [Fact]
    public async Task ShareImage_OthersPrivateImage_Returns404()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        using var stranger = await Party.CreateAsync(app, "stranger");
        var imageId = await owner.Client.CreateImageAsync("private");
        await app.MarkActiveAsync(imageId);

        using var response = await stranger.Client.ShareAsync(imageId);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("private", (await owner.Client.ShowImageAsync(imageId)).Visibility);
    }
}
