using System.Net;
using System.Text.Json;
using ImageService.Protocol;

namespace ImageService.Tests.Sharing;

// docs/errors.md: a member is exactly created_at, image_id, member_id, status, updated_at, and
// the list is exactly {"members": […]}, in every version; the SDK rejects any other key.
public sealed class MemberContractTests(AllVersionsApp versions) : IClassFixture<AllVersionsApp>
{
    private static readonly string[] MemberKeys = ["created_at", "image_id", "member_id", "status", "updated_at"];

    [Theory]
    [MemberData(nameof(AllVersionsApp.Versions), MemberType = typeof(AllVersionsApp))]
    public async Task MemberOperations_EveryVersion_AnswerExactlyTheSchemaKeys(string version)
    {
        var app = versions.App;
        using var owner = await Party.CreateAsync(app, "owner", version);
        using var member = await Party.CreateAsync(app, "member", version);
        var imageId = await owner.Client.CreateImageAsync();
        var ct = TestContext.Current.CancellationToken;

        using var created = await owner.Client.AddMemberAsync(imageId, member.AccountId);
        using var shown = await member.Client.GetAsync($"/v1/images/{imageId}/members/{member.AccountId}", ct);
        using var updated = await member.Client.SetStatusAsync(imageId, member.AccountId, "accepted");
        using var listed = await owner.Client.GetAsync($"/v1/images/{imageId}/members", ct);

        foreach (var response in new[] { created, shown, updated, listed })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"{ScpHeaders.ServiceName} {version}", Assert.Single(response.Headers.GetValues(ScpHeaders.ApiVersion)));
        }

        var list = await listed.ReadObjectAsync();
        Assert.Equal(["members"], list.Select(p => p.Key));
        foreach (var body in new[] { await created.ReadObjectAsync(), await shown.ReadObjectAsync(), await updated.ReadObjectAsync(), list["members"]![0]!.AsObject() })
        {
            Assert.Equal(MemberKeys, body.Select(p => p.Key).Order());
            Assert.All(MemberKeys, key => Assert.Equal(JsonValueKind.String, body[key]!.GetValueKind()));
            Assert.Equal(imageId, body["image_id"]!.GetValue<string>());
            Assert.Equal(member.AccountId, body["member_id"]!.GetValue<string>());
        }
    }
}
