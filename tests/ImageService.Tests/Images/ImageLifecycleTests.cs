using System.Net;
using System.Net.Http.Json;
using ImageService.Protocol.Images;

namespace ImageService.Tests.Images;

public sealed class ImageLifecycleTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    [Fact]
    public async Task CreateShowDelete_OwnImage_RoundTrips()
    {
        using var client = await app.CreateAccountClientAsync();

        using var created = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.Create()), TestContext.Current.CancellationToken);
        var image = await created.ReadAsync<ImageShowResponseV1Dot2>();
        using var shown = await client.GetAsync($"/v1/images/{image.Id}", TestContext.Current.CancellationToken);
        using var deleted = await client.DeleteAsync($"/v1/images/{image.Id}", TestContext.Current.CancellationToken);
        using var gone = await client.GetAsync($"/v1/images/{image.Id}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal("test-image", image.Name);
        Assert.Equal("custom", image.ScpImageType);
        Assert.Equal($"/v2/images/{image.Id}/file", image.File);
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(["image_not_found"], await gone.ErrorCodesAsync());
    }

    [Fact]
    public async Task ShowImage_OtherAccountsImage_Returns404()
    {
        using var owner = await app.CreateAccountClientAsync();
        using var stranger = await app.CreateAccountClientAsync();
        using var created = await owner.PostAsync("/v1/images", ApiJson.Body(ImageRequests.Create()), TestContext.Current.CancellationToken);
        var image = await created.ReadAsync<ImageShowResponseV1Dot2>();

        using var shown = await stranger.GetAsync($"/v1/images/{image.Id}", TestContext.Current.CancellationToken);
        var list = await stranger.GetFromJsonAsync<ImageListResponseV1Dot3>("/v1/images", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, shown.StatusCode);
        Assert.Empty(list!.Images);
    }
}
