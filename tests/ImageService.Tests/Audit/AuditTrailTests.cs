using ImageService.Protocol.Images;
using ImageService.Protocol.Sharing;
using ImageService.Tests.Cli;
using ImageService.Tests.Images;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Audit;

// Every change an account makes through the API leaves one event in its own trail, written with
// the change; refused requests change nothing and leave nothing (docs/audit.md).
public sealed class AuditTrailTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ImageChanges_EachSucceeding_RecordOneEventWithCallerOperationAndImage()
    {
        var ownerId = NewAccountId("owner");
        var memberId = NewAccountId("member");
        var ownerKey = await app.CreateAccountAsync(ownerId, userName: "alice@example.com");
        var memberKey = await app.CreateAccountAsync(memberId, userName: "bob@example.com");
        using var owner = app.CreateSignedClient(ownerKey);
        using var member = app.CreateSignedClient(memberKey);

        var imageId = await owner.CreateImageAsync();
        (await owner.PutAsync($"/v1/images/{imageId}", ApiJson.Body(new ImageSetRequest { MinDisk = 5 }), Ct)).EnsureSuccessStatusCode();
        await app.SetImageStatusAsync(imageId, "active");
        (await owner.PostAsync($"/v1/images/{imageId}/share", null, Ct)).EnsureSuccessStatusCode();
        (await owner.PostAsync($"/v1/images/{imageId}/members", ApiJson.Body(new ImageMemberCreateRequest(memberId)), Ct)).EnsureSuccessStatusCode();
        (await member.PutAsync($"/v1/images/{imageId}/members/{memberId}", ApiJson.Body(new ImageMemberSetRequest("accepted")), Ct)).EnsureSuccessStatusCode();
        (await owner.DeleteAsync($"/v1/images/{imageId}/members/{memberId}", Ct)).EnsureSuccessStatusCode();
        (await owner.DeleteAsync($"/v1/images/{imageId}", Ct)).EnsureSuccessStatusCode();
        var ownerTrail = await owner.AuditAsync($"?image_id={imageId}");
        var memberTrail = await member.AuditAsync($"?image_id={imageId}");

        Assert.Equal(
            ["deleteImage", "deleteImageMember", "createImageMember", "createSharingImage", "updateImage", "createImage"],
            ownerTrail.Operations());
        Assert.All(ownerTrail, e =>
            Assert.Equal((ownerId, "alice@example.com", ownerKey.AccessKey, imageId, "succeeded"), (e.AccountId, e.UserName, e.AccessKey, e.ImageId, e.Outcome)));
        Assert.Equal(memberId, ownerTrail.Single(e => e.Operation == "createImageMember").Detail);
        Assert.Equal(memberId, ownerTrail.Single(e => e.Operation == "deleteImageMember").Detail);
        var accepted = Assert.Single(memberTrail);
        Assert.Equal(("updateImageMember", memberId, "bob@example.com", "accepted"), (accepted.Operation, accepted.AccountId, accepted.UserName, accepted.Detail));
    }

    [Fact]
    public async Task RefusedChanges_NotFoundForbiddenConflictOrInvalid_RecordNothing()
    {
        using var owner = await app.CreateAccountClientAsync();
        using var stranger = await app.CreateAccountClientAsync();
        var imageId = await owner.CreateImageAsync(ImageRequests.Create() with { Protected = true });

        var refused = new[]
        {
            await stranger.DeleteAsync($"/v1/images/{imageId}", Ct),
            await stranger.PutAsync($"/v1/images/{imageId}", ApiJson.Body(new ImageSetRequest { MinDisk = 1 }), Ct),
            await owner.DeleteAsync($"/v1/images/{imageId}", Ct),
            await owner.PostAsync($"/v1/images/{imageId}/share", null, Ct),
            await owner.PutAsync($"/v1/images/{imageId}", ApiJson.Raw("{\"min_disk\": -1}"), Ct),
            await owner.PostAsync("/v1/images", ApiJson.Raw("{\"name\": \"\"}"), Ct),
        };

        Assert.All(refused, r => Assert.True((int)r.StatusCode is >= 400 and < 500, $"{r.RequestMessage!.Method} answered {r.StatusCode}"));
        Assert.Equal(["createImage"], (await owner.AuditAsync($"?image_id={imageId}")).Operations());
        Assert.DoesNotContain(await stranger.AuditAsync(), e => e.Operation != "createAccessKey");
        Assert.Equal(["createImage", "createAccessKey"], (await owner.AuditAsync()).Operations());
    }

    [Fact]
    public async Task AccessKeys_CreatedAndRevoked_AreRecordedInTheirAccountsTrail()
    {
        var accountId = NewAccountId("keys");
        var keys = app.Services.GetRequiredService<ImageService.Api.Authentication.AccessKeyStore>();
        var reader = await app.CreateAccountAsync(accountId);
        var revoked = await app.CreateAccountAsync(accountId, userName: "carol@example.com");
        using var client = app.CreateSignedClient(reader);

        Assert.True(await keys.RevokeAsync(revoked.AccessKey, Ct));
        var trail = await client.AuditAsync();

        Assert.Equal(["revokeAccessKey", "createAccessKey", "createAccessKey"], trail.Operations());
        Assert.Equal([revoked.AccessKey, revoked.AccessKey, reader.AccessKey], trail.Select(e => e.AccessKey));
        Assert.Equal("carol@example.com", trail[1].Detail);
        Assert.All(trail, e => Assert.Equal((accountId, Environment.UserName, (string?)null), (e.AccountId, e.UserName, e.CallerAddress)));
    }

    private static string NewAccountId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..30];
}
