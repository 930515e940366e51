using System.Net;
using System.Text.Json.Nodes;
using ImageService.Api.Data;
using ImageService.Api.Sharing;
using ImageService.Tests.Versioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ImageService.Tests.Images;

// updateImage (schema ImageSetRequest, additionalProperties false): min_disk, min_ram, protected and
// visibility; null means unchanged.
public sealed class UpdateImageTests(FixedClockApp fixture) : IClassFixture<FixedClockApp>
{
    private readonly FakeTimeProvider _time = fixture.Time;
    private readonly ImageServiceApp _app = fixture.App;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("name")]
    [InlineData("os_distro")]
    [InlineData("owner")]
    [InlineData("status")]
    [InlineData("Min_Disk")]
    [InlineData("minDisk")]
    public async Task UpdateImage_UnknownField_Returns400UnknownField(string field)
    {
        using var client = await _app.CreateAccountClientAsync();
        var id = await client.CreateImageAsync();

        using var response = await client.PutAsync($"/v1/images/{id}", ApiJson.Body(new JsonObject { [field] = "x" }), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "unknown_field");
    }

    [Fact]
    public async Task UpdateImage_AllFields_ChangesThemAndUpdatedAtOnly()
    {
        using var client = await _app.CreateAccountClientAsync();
        var id = await client.CreateImageAsync();
        var before = await client.GetFromJsonObjectAsync($"/v1/images/{id}");
        _time.Advance(TimeSpan.FromMinutes(5));
        var body = new JsonObject { ["min_disk"] = 40, ["min_ram"] = 2097151, ["protected"] = true, ["visibility"] = "shared" };

        using var response = await client.PutAsync($"/v1/images/{id}", ApiJson.Body(body), Ct);
        var updated = await response.ReadObjectAsync();
        var shown = await client.GetFromJsonObjectAsync($"/v1/images/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(updated.ToJsonString(), shown.ToJsonString());
        Assert.Equal(40, shown["min_disk"]!.GetValue<int>());
        Assert.Equal(2097151, shown["min_ram"]!.GetValue<int>());
        Assert.True(shown["protected"]!.GetValue<bool>());
        Assert.Equal("shared", shown["visibility"]!.GetValue<string>());
        Assert.Equal(before["created_at"]!.GetValue<string>(), shown["created_at"]!.GetValue<string>());
        Assert.Equal(_time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), shown["updated_at"]!.GetValue<string>());
        Assert.NotEqual(before["updated_at"]!.GetValue<string>(), shown["updated_at"]!.GetValue<string>());
        foreach (var field in new[] { "min_disk", "min_ram", "protected", "visibility", "updated_at" })
        {
            before.Remove(field);
            shown.Remove(field);
        }

        Assert.Equal(before.ToJsonString(), shown.ToJsonString());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"min_disk\":null,\"min_ram\":null,\"protected\":null,\"visibility\":null}")]
    [InlineData("{\"visibility\":\"\"}")]
    public async Task UpdateImage_NullsOrNothing_LeavesFieldsUnchanged(string json)
    {
        using var client = await _app.CreateAccountClientAsync();
        var request = ImageRequests.Create() with { MinDisk = 7, MinRam = 512, Protected = true, Visibility = "shared" };
        var id = await client.CreateImageAsync(request);

        using var response = await client.PutAsync($"/v1/images/{id}", ApiJson.Body(JsonNode.Parse(json)!), Ct);
        var shown = await client.GetFromJsonObjectAsync($"/v1/images/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(7, shown["min_disk"]!.GetValue<int>());
        Assert.Equal(512, shown["min_ram"]!.GetValue<int>());
        Assert.True(shown["protected"]!.GetValue<bool>());
        Assert.Equal("shared", shown["visibility"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateImage_OneField_LeavesTheOthersUnchanged()
    {
        using var client = await _app.CreateAccountClientAsync();
        var id = await client.CreateImageAsync(ImageRequests.Create() with { MinDisk = 7, MinRam = 512 });

        using var response = await client.PutAsync($"/v1/images/{id}", ApiJson.Body(new JsonObject { ["min_ram"] = 0 }), Ct);
        var shown = await client.GetFromJsonObjectAsync($"/v1/images/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(7, shown["min_disk"]!.GetValue<int>());
        Assert.Equal(0, shown["min_ram"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("{\"min_disk\":-1}", "invalid_min_disk")]
    [InlineData("{\"min_ram\":-1}", "invalid_min_ram")]
    [InlineData("{\"min_ram\":2097152}", "invalid_min_ram")]
    [InlineData("{\"visibility\":\"public\"}", "invalid_visibility")]
    [InlineData("{\"visibility\":\"community\"}", "invalid_visibility")]
    [InlineData("{\"min_disk\":\"1\"}", "invalid_body")]
    [InlineData("{\"protected\":\"true\"}", "invalid_body")]
    [InlineData("{\"min_ram\":0.5}", "invalid_body")]
    [InlineData("{\"visibility\":1}", "invalid_body")]
    public async Task UpdateImage_InvalidValue_Returns400AndChangesNothing(string json, string code)
    {
        using var client = await _app.CreateAccountClientAsync();
        var id = await client.CreateImageAsync();
        var before = await client.GetFromJsonObjectAsync($"/v1/images/{id}");
        _time.Advance(TimeSpan.FromSeconds(1));

        using var response = await client.PutAsync($"/v1/images/{id}", ApiJson.Body(JsonNode.Parse(json)!), Ct);
        var after = await client.GetFromJsonObjectAsync($"/v1/images/{id}");

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, code);
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }

    [Fact]
    public async Task UpdateImage_SeveralProblems_ReturnsOneErrorPerProblem()
    {
        using var client = await _app.CreateAccountClientAsync();
        var id = await client.CreateImageAsync();
        var body = new JsonObject { ["min_disk"] = -1, ["min_ram"] = -1, ["visibility"] = "public" };

        using var response = await client.PutAsync($"/v1/images/{id}", ApiJson.Body(body), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_min_disk", "invalid_min_ram", "invalid_visibility");
    }

    [Fact]
    public async Task UpdateImage_UnknownImage_Returns404()
    {
        using var client = await _app.CreateAccountClientAsync();

        using var response = await client.PutAsync($"/v1/images/{Guid.NewGuid()}", ApiJson.Body(new JsonObject { ["min_disk"] = 1 }), Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.NotFound, "image_not_found");
    }

    [Fact]
    public async Task UpdateImage_ProtectedImage_CanBeUnprotected()
    {
        using var client = await _app.CreateAccountClientAsync();
        var id = await client.CreateImageAsync(ImageRequests.Create() with { Protected = true });

        using var response = await client.PutAsync($"/v1/images/{id}", ApiJson.Body(new JsonObject { ["protected"] = false }), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await response.ReadObjectAsync())["protected"]!.GetValue<bool>());
    }

    // A member can read a shared image but only its owner may change it. The membership row is
    // written straight to the database: this tests the owner rule, not the sharing operations.
    [Fact]
    public async Task UpdateImage_AccountTheImageIsSharedWith_Returns403AndChangesNothing()
    {
        using var owner = await _app.CreateAccountClientAsync();
        var memberId = "member-" + Guid.NewGuid().ToString("N");
        using var member = _app.CreateSignedClient(await _app.CreateAccountAsync(memberId));
        var id = await owner.CreateImageAsync(ImageRequests.Create() with { Visibility = "shared" });
        await AddMemberAsync(id, memberId);

        using var shown = await member.GetAsync($"/v1/images/{id}", Ct);
        using var response = await member.PutAsync($"/v1/images/{id}", ApiJson.Body(new JsonObject { ["min_disk"] = 9 }), Ct);
        var after = await owner.GetFromJsonObjectAsync($"/v1/images/{id}");

        Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.Forbidden, "not_image_owner");
        Assert.Equal(0, after["min_disk"]!.GetValue<int>());
    }

    private async Task AddMemberAsync(string imageId, string memberId)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        var now = _time.GetUtcNow().UtcDateTime;
        db.ImageMembers.Add(new ImageMember { ImageId = imageId, MemberId = memberId, Status = MemberStatus.Accepted, CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync(Ct);
    }
}
