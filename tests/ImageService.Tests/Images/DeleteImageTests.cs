using System.Net;
using System.Text.Json.Nodes;
using ImageService.Api.Data;
using ImageService.Api.Sharing;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Images;

public sealed class DeleteImageTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DeleteImage_OwnImage_Returns204WithoutBodyAndShowThen404()
    {
        using var client = await app.CreateAccountClientAsync();
        var id = await client.CreateImageAsync();

        using var deleted = await client.DeleteAsync($"/v1/images/{id}", Ct);
        using var shown = await client.GetAsync($"/v1/images/{id}", Ct);
        var list = await client.GetFromJsonObjectAsync("/v1/images");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync(Ct));
        ScpAssert.AnsweredBy(deleted, "1.3");
        await ScpAssert.EnvelopeAsync(shown, HttpStatusCode.NotFound, "image_not_found");
        Assert.Empty(list["images"]!.AsArray());
    }

    [Fact]
    public async Task DeleteImage_Twice_SecondReturns404()
    {
        using var client = await app.CreateAccountClientAsync();
        var id = await client.CreateImageAsync();

        using var first = await client.DeleteAsync($"/v1/images/{id}", Ct);
        using var second = await client.DeleteAsync($"/v1/images/{id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        await ScpAssert.EnvelopeAsync(second, HttpStatusCode.NotFound, "image_not_found");
    }

    [Fact]
    public async Task DeleteImage_Protected_Returns409AndKeepsTheImage()
    {
        using var client = await app.CreateAccountClientAsync();
        var id = await client.CreateImageAsync(ImageRequests.Create() with { Protected = true });

        using var refused = await client.DeleteAsync($"/v1/images/{id}", Ct);
        using var shown = await client.GetAsync($"/v1/images/{id}", Ct);

        await ScpAssert.EnvelopeAsync(refused, HttpStatusCode.Conflict, "image_protected");
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
    }

    [Fact]
    public async Task DeleteImage_AfterUnprotecting_Returns204()
    {
        using var client = await app.CreateAccountClientAsync();
        var id = await client.CreateImageAsync(ImageRequests.Create() with { Protected = true });

        using var unprotected = await client.PutAsync($"/v1/images/{id}", ApiJson.Body(new JsonObject { ["protected"] = false }), Ct);
        using var deleted = await client.DeleteAsync($"/v1/images/{id}", Ct);

        Assert.Equal(HttpStatusCode.OK, unprotected.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("not-a-uuid")]
    public async Task DeleteImage_UnknownId_Returns404(string id)
    {
        using var client = await app.CreateAccountClientAsync();

        using var response = await client.DeleteAsync($"/v1/images/{id}", Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.NotFound, "image_not_found");
    }

    // The membership row is written straight to the database: this tests the owner rule of
    // deleteImage, not the sharing operations.
    [Fact]
    public async Task DeleteImage_AccountTheImageIsSharedWith_Returns403AndKeepsIt()
    {
        using var owner = await app.CreateAccountClientAsync();
        var memberId = "member-" + Guid.NewGuid().ToString("N");
        using var member = app.CreateSignedClient(await app.CreateAccountAsync(memberId));
        var id = await owner.CreateImageAsync(ImageRequests.Create() with { Visibility = "shared" });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
            db.ImageMembers.Add(new ImageMember { ImageId = id, MemberId = memberId, Status = MemberStatus.Accepted, CreatedAt = app.Time.GetUtcNow().UtcDateTime, UpdatedAt = app.Time.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(Ct);
        }

        using var response = await member.DeleteAsync($"/v1/images/{id}", Ct);
        using var shown = await owner.GetAsync($"/v1/images/{id}", Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.Forbidden, "not_image_owner");
        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
    }
}
