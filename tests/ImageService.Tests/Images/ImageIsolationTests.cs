using System.Net;
using System.Text.Json.Nodes;

namespace ImageService.Tests.Images;

// Two accounts never see each other's images, and a stranger's id answers 404, never 403, so an
// id reveals nothing about whether it exists.
public sealed class ImageIsolationTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("private")]
    [InlineData("shared")]
    public async Task EveryOperation_OtherAccountsImage_Returns404AndLeavesItAlone(string visibility)
    {
        using var alice = await app.CreateAccountClientAsync();
        using var bob = await app.CreateAccountClientAsync();
        var id = await alice.CreateImageAsync(ImageRequests.Create("alice-image") with { Visibility = visibility });
        var before = await alice.GetFromJsonObjectAsync($"/v1/images/{id}");

        using var shown = await bob.GetAsync($"/v1/images/{id}", Ct);
        using var updated = await bob.PutAsync($"/v1/images/{id}", ApiJson.Body(new JsonObject { ["protected"] = true }), Ct);
        using var deleted = await bob.DeleteAsync($"/v1/images/{id}", Ct);
        var bobList = await bob.GetFromJsonObjectAsync("/v1/images?limit=1000");
        var after = await alice.GetFromJsonObjectAsync($"/v1/images/{id}");

        await ScpAssert.EnvelopeAsync(shown, HttpStatusCode.NotFound, "image_not_found");
        await ScpAssert.EnvelopeAsync(updated, HttpStatusCode.NotFound, "image_not_found");
        await ScpAssert.EnvelopeAsync(deleted, HttpStatusCode.NotFound, "image_not_found");
        Assert.Empty(bobList["images"]!.AsArray());
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }

    [Fact]
    public async Task ListImages_TwoAccounts_EachSeesOnlyItsOwn()
    {
        using var alice = await app.CreateAccountClientAsync();
        using var bob = await app.CreateAccountClientAsync();
        var aliceIds = new[] { await alice.CreateImageAsync(), await alice.CreateImageAsync(ImageRequests.Create() with { Visibility = "shared" }) };
        var bobIds = new[] { await bob.CreateImageAsync() };

        var aliceList = await alice.GetFromJsonObjectAsync("/v1/images?limit=1000");
        var bobList = await bob.GetFromJsonObjectAsync("/v1/images?limit=1000&visibility=shared");
        var bobAll = await bob.GetFromJsonObjectAsync("/v1/images?limit=1000");

        Assert.Equal(aliceIds.Order(), Ids(aliceList).Order());
        Assert.Empty(bobList["images"]!.AsArray());
        Assert.Equal(bobIds, Ids(bobAll));
    }

    [Fact]
    public async Task ListImages_MarkerOfAnotherAccountsImage_Returns400()
    {
        using var alice = await app.CreateAccountClientAsync();
        using var bob = await app.CreateAccountClientAsync();
        var id = await alice.CreateImageAsync();

        using var response = await bob.GetAsync($"/v1/images?marker={id}", Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_marker");
    }

    [Fact]
    public async Task DeleteImage_ProtectedImageOfAnotherAccount_Returns404Not409()
    {
        using var alice = await app.CreateAccountClientAsync();
        using var bob = await app.CreateAccountClientAsync();
        var id = await alice.CreateImageAsync(ImageRequests.Create() with { Protected = true });

        using var response = await bob.DeleteAsync($"/v1/images/{id}", Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.NotFound, "image_not_found");
    }

    private static string[] Ids(JsonObject list) => list["images"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToArray();
}
