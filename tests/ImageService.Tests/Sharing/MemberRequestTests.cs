using System.Net;
using ImageService.Protocol.Sharing;

namespace ImageService.Tests.Sharing;

// What createImageMember and updateImageMember refuse, and why.
public sealed class MemberRequestTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    public static readonly TheoryData<string> InvalidMemberBodies =
    [
        """{"member_id":""}""",
        """{"member_id":"has space"}""",
        """{"member_id":"under_score"}""",
        """{"member_id":"acct/../x"}""",
        """{"member_id":"ümlaut"}""",
        $$"""{"member_id":"{{new string('a', 65)}}"}""",
        """{"member_id":null}""",
        "{}",
    ];

    public static readonly TheoryData<string> InvalidStatusBodies =
    [
        """{"status":"maybe"}""",
        """{"status":"ACCEPTED"}""",
        """{"status":""}""",
        """{"status":null}""",
        "{}",
    ];

    [Theory]
    [MemberData(nameof(InvalidMemberBodies))]
    public async Task CreateImageMember_MemberIdOutsidePattern_Returns400(string body)
    {
        using var owner = await Party.CreateAsync(app, "owner");
        var imageId = await owner.Client.CreateImageAsync();

        using var response = await owner.Client.PostAsync($"/v1/images/{imageId}/members", ApiJson.Raw(body), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["invalid_member_id"], await response.ErrorCodesAsync());
        Assert.Equal(0, await app.CountMembersAsync(imageId));
    }

    [Fact]
    public async Task CreateImageMember_MemberIdOfMaximumLength_Returns200()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        var imageId = await owner.Client.CreateImageAsync();
        var memberId = "A-" + new string('z', 62);

        using var response = await owner.Client.AddMemberAsync(imageId, memberId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(memberId, (await response.ReadAsync<ImageMemberShowResponse>()).MemberId);
    }

    [Theory]
    [InlineData("""{"member_id":"acct-x","member":"acct-y"}""", "application/json", HttpStatusCode.BadRequest, "unknown_field")]
    [InlineData("""{"member_id":42}""", "application/json", HttpStatusCode.BadRequest, "invalid_body")]
    [InlineData("""{"member_id":"acct-x""", "application/json", HttpStatusCode.BadRequest, "invalid_body")]
    [InlineData("""{"member_id":"acct-x"}""", "text/plain", HttpStatusCode.UnsupportedMediaType, "unsupported_media_type")]
    public async Task CreateImageMember_BodyNotTheSchema_ReturnsEnvelope(string body, string contentType, HttpStatusCode expected, string code)
    {
        using var owner = await Party.CreateAsync(app, "owner");
        var imageId = await owner.Client.CreateImageAsync();

        using var response = await owner.Client.PostAsync($"/v1/images/{imageId}/members", ApiJson.Raw(body, contentType),
            TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal([code], await response.ErrorCodesAsync());
    }

    [Fact]
    public async Task CreateImageMember_ExistingMember_Returns409()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        using var member = await Party.CreateAsync(app, "member");
        var imageId = await owner.Client.CreateImageAsync();
        await owner.Client.AddMemberWithStatusAsync(imageId, member, "accepted");

        using var again = await owner.Client.AddMemberAsync(imageId, member.AccountId);

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(["member_exists"], await again.ErrorCodesAsync());
        Assert.Equal("accepted", Assert.Single(await owner.Client.ListMembersAsync(imageId)).Status);
    }

    [Fact]
    public async Task CreateImageMember_PrivateImage_Returns403SayingItIsNotShared()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        var imageId = await owner.Client.CreateImageAsync("private");

        using var response = await owner.Client.AddMemberAsync(imageId, "acct-someone");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = (await response.ReadObjectAsync())["errors"]![0]!;
        Assert.Equal("image_not_shared", error["code"]!.GetValue<string>());
        Assert.Contains("not shared", error["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await app.CountMembersAsync(imageId));
    }

    [Fact]
    public async Task CreateImageMember_OwnersOwnAccount_Returns400()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        var imageId = await owner.Client.CreateImageAsync();

        using var response = await owner.Client.AddMemberAsync(imageId, owner.AccountId);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["member_is_owner"], await response.ErrorCodesAsync());
        Assert.Equal(0, await app.CountMembersAsync(imageId));
    }

    [Fact]
    public async Task CreateImageMember_UnknownImage_Returns404()
    {
        using var owner = await Party.CreateAsync(app, "owner");

        using var response = await owner.Client.AddMemberAsync(Guid.NewGuid().ToString(), "acct-someone");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(["image_not_found"], await response.ErrorCodesAsync());
    }

    [Theory]
    [MemberData(nameof(InvalidStatusBodies))]
    public async Task UpdateImageMember_StatusNotInEnum_Returns400(string body)
    {
        using var owner = await Party.CreateAsync(app, "owner");
        using var member = await Party.CreateAsync(app, "member");
        var imageId = await owner.Client.CreateImageAsync();
        await owner.Client.AddMemberWithStatusAsync(imageId, member, "pending");

        using var response = await member.Client.PutAsync($"/v1/images/{imageId}/members/{member.AccountId}", ApiJson.Raw(body),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["invalid_status"], await response.ErrorCodesAsync());
        Assert.Equal("pending", Assert.Single(await member.Client.ListMembersAsync(imageId)).Status);
    }

    [Theory]
    [InlineData("pending", "pending")]
    [InlineData("pending", "accepted")]
    [InlineData("accepted", "pending")]
    [InlineData("accepted", "rejected")]
    [InlineData("rejected", "accepted")]
    [InlineData("rejected", "pending")]
    public async Task UpdateImageMember_AnyStatusToAny_Returns200(string from, string to)
    {
        using var owner = await Party.CreateAsync(app, "owner");
        using var member = await Party.CreateAsync(app, "member");
        var imageId = await owner.Client.CreateImageAsync();
        await owner.Client.AddMemberWithStatusAsync(imageId, member, from);

        using var response = await member.Client.SetStatusAsync(imageId, member.AccountId, to);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(to, (await response.ReadAsync<ImageMemberShowResponse>()).Status);
        Assert.Equal(to, Assert.Single(await owner.Client.ListMembersAsync(imageId)).Status);
    }
}
