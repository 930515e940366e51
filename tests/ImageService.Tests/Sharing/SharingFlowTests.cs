using System.Net;
using ImageService.Protocol.Images;
using ImageService.Protocol.Sharing;

namespace ImageService.Tests.Sharing;

// The flow users follow, from both sides, with real accounts and signed requests.
public sealed class SharingFlowTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    [Fact]
    public async Task SharingFlow_TwoAccounts_ImageListedOnlyWhileAccepted()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        using var member = await Party.CreateAsync(app, "member");
        var imageId = await owner.Client.CreateImageAsync("shared");

        using var added = await owner.Client.AddMemberAsync(imageId, member.AccountId);
        var invitation = await added.ReadAsync<ImageMemberShowResponse>();
        using var shownWhilePending = await member.Client.GetAsync($"/v1/images/{imageId}", TestContext.Current.CancellationToken);
        var pendingWhilePending = await member.Client.PendingImageIdsAsync();
        var listWhilePending = await member.Client.ListImageIdsAsync();

        using var accepted = await member.Client.SetStatusAsync(imageId, member.AccountId, "accepted");
        var listWhileAccepted = await member.Client.ListImageIdsAsync();
        var sharedListWhileAccepted = await member.Client.ListImageIdsAsync("?visibility=shared");
        var pendingWhileAccepted = await member.Client.PendingImageIdsAsync();

        using var rejected = await member.Client.SetStatusAsync(imageId, member.AccountId, "rejected");
        var listWhileRejected = await member.Client.ListImageIdsAsync();
        var pendingWhileRejected = await member.Client.PendingImageIdsAsync();
        using var shownWhileRejected = await member.Client.GetAsync($"/v1/images/{imageId}", TestContext.Current.CancellationToken);

        using var acceptedAgain = await member.Client.SetStatusAsync(imageId, member.AccountId, "accepted");
        var listAfterAcceptingAgain = await member.Client.ListImageIdsAsync();

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(new ImageMemberShowResponse(invitation.CreatedAt, imageId, member.AccountId, "pending", invitation.UpdatedAt), invitation);
        Assert.Equal(HttpStatusCode.OK, shownWhilePending.StatusCode);
        Assert.Equal([imageId], pendingWhilePending);
        Assert.Empty(listWhilePending);
        Assert.Equal("accepted", (await accepted.ReadAsync<ImageMemberShowResponse>()).Status);
        Assert.Equal([imageId], listWhileAccepted);
        Assert.Equal([imageId], sharedListWhileAccepted);
        Assert.Empty(pendingWhileAccepted);
        Assert.Equal("rejected", (await rejected.ReadAsync<ImageMemberShowResponse>()).Status);
        Assert.Empty(listWhileRejected);
        Assert.Empty(pendingWhileRejected);
        Assert.Equal(HttpStatusCode.OK, shownWhileRejected.StatusCode);
        Assert.Equal(HttpStatusCode.OK, acceptedAgain.StatusCode);
        Assert.Equal([imageId], listAfterAcceptingAgain);
    }

    [Fact]
    public async Task SharingFlow_ThreeAccounts_EachMemberSeesOnlyItsOwnEntry()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        using var first = await Party.CreateAsync(app, "first");
        using var second = await Party.CreateAsync(app, "second");
        var imageId = await owner.Client.CreateImageAsync("shared");
        await owner.Client.AddMemberWithStatusAsync(imageId, first, "accepted");
        await owner.Client.AddMemberWithStatusAsync(imageId, second, "pending");

        var ownerView = await owner.Client.ListMembersAsync(imageId);
        var firstView = await first.Client.ListMembersAsync(imageId);
        var secondView = await second.Client.ListMembersAsync(imageId);
        using var firstShowsSecond = await first.Client.GetAsync($"/v1/images/{imageId}/members/{second.AccountId}", TestContext.Current.CancellationToken);
        using var firstAcceptsForSecond = await first.Client.SetStatusAsync(imageId, second.AccountId, "accepted");
        using var ownerAcceptsForSecond = await owner.Client.SetStatusAsync(imageId, second.AccountId, "accepted");

        Assert.Equal([(first.AccountId, "accepted"), (second.AccountId, "pending")], ownerView.Select(m => (m.MemberId, m.Status)));
        Assert.Equal([first.AccountId], firstView.Select(m => m.MemberId));
        Assert.Equal([second.AccountId], secondView.Select(m => m.MemberId));
        Assert.Equal(HttpStatusCode.NotFound, firstShowsSecond.StatusCode);
        Assert.Equal(["member_not_found"], await firstShowsSecond.ErrorCodesAsync());
        Assert.Equal(HttpStatusCode.NotFound, firstAcceptsForSecond.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, ownerAcceptsForSecond.StatusCode);
        Assert.Equal(["not_image_member"], await ownerAcceptsForSecond.ErrorCodesAsync());
        Assert.Equal([imageId], await first.Client.ListImageIdsAsync());
        Assert.Empty(await second.Client.ListImageIdsAsync());
        Assert.Equal([imageId], await second.Client.PendingImageIdsAsync());
        Assert.Equal("pending", (await owner.Client.ListMembersAsync(imageId)).Single(m => m.MemberId == second.AccountId).Status);
    }

    [Fact]
    public async Task UpdateImage_SharedToPrivateAndBack_HidesImageFromMembersThenRestoresThem()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        using var accepted = await Party.CreateAsync(app, "accepted");
        using var pending = await Party.CreateAsync(app, "pending");
        var imageId = await owner.Client.CreateImageAsync("shared");
        await owner.Client.AddMemberWithStatusAsync(imageId, accepted, "accepted");
        await owner.Client.AddMemberWithStatusAsync(imageId, pending, "pending");
        var ct = TestContext.Current.CancellationToken;

        using var madePrivate = await owner.Client.SetVisibilityAsync(imageId, "private");
        using var shownWhilePrivate = await accepted.Client.GetAsync($"/v1/images/{imageId}", ct);
        var listWhilePrivate = await accepted.Client.ListImageIdsAsync();
        var pendingWhilePrivate = await pending.Client.PendingImageIdsAsync();
        using var membersWhilePrivate = await accepted.Client.GetAsync($"/v1/images/{imageId}/members", ct);
        using var acceptWhilePrivate = await pending.Client.SetStatusAsync(imageId, pending.AccountId, "accepted");
        using var ownerMembersWhilePrivate = await owner.Client.GetAsync($"/v1/images/{imageId}/members", ct);
        using var addWhilePrivate = await owner.Client.AddMemberAsync(imageId, "acct-late-member");
        var rowsWhilePrivate = await app.CountMembersAsync(imageId);

        using var sharedAgain = await owner.Client.SetVisibilityAsync(imageId, "shared");
        var listWhenSharedAgain = await accepted.Client.ListImageIdsAsync();
        var pendingWhenSharedAgain = await pending.Client.PendingImageIdsAsync();
        var membersWhenSharedAgain = await owner.Client.ListMembersAsync(imageId);

        Assert.Equal("private", (await madePrivate.ReadAsync<ImageShowResponse>()).Visibility);
        Assert.Equal(HttpStatusCode.NotFound, shownWhilePrivate.StatusCode);
        Assert.Empty(listWhilePrivate);
        Assert.Empty(pendingWhilePrivate);
        Assert.Equal(HttpStatusCode.NotFound, membersWhilePrivate.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, acceptWhilePrivate.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, ownerMembersWhilePrivate.StatusCode);
        Assert.Equal(["image_not_shared"], await ownerMembersWhilePrivate.ErrorCodesAsync());
        Assert.Equal(HttpStatusCode.Forbidden, addWhilePrivate.StatusCode);
        Assert.Equal(2, rowsWhilePrivate);
        Assert.Equal(HttpStatusCode.OK, sharedAgain.StatusCode);
        Assert.Equal([imageId], listWhenSharedAgain);
        Assert.Equal([imageId], pendingWhenSharedAgain);
        Assert.Equal([(accepted.AccountId, "accepted"), (pending.AccountId, "pending")], membersWhenSharedAgain.Select(m => (m.MemberId, m.Status)));
    }

    [Fact]
    public async Task DeleteImageMember_ByOwner_RemovesAccessAtOnce()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        using var member = await Party.CreateAsync(app, "member");
        var imageId = await owner.Client.CreateImageAsync("shared");
        await owner.Client.AddMemberWithStatusAsync(imageId, member, "accepted");
        var listBefore = await member.Client.ListImageIdsAsync();
        var ct = TestContext.Current.CancellationToken;

        using var removed = await owner.Client.DeleteAsync($"/v1/images/{imageId}/members/{member.AccountId}", ct);
        using var shown = await member.Client.GetAsync($"/v1/images/{imageId}", ct);
        using var ownEntry = await member.Client.GetAsync($"/v1/images/{imageId}/members/{member.AccountId}", ct);
        using var acceptAgain = await member.Client.SetStatusAsync(imageId, member.AccountId, "accepted");
        using var removedAgain = await owner.Client.DeleteAsync($"/v1/images/{imageId}/members/{member.AccountId}", ct);

        Assert.Equal([imageId], listBefore);
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(0, removed.Content.Headers.ContentLength ?? 0);
        Assert.Equal(HttpStatusCode.NotFound, shown.StatusCode);
        Assert.Empty(await member.Client.ListImageIdsAsync());
        Assert.Empty(await member.Client.PendingImageIdsAsync());
        Assert.Equal(HttpStatusCode.NotFound, ownEntry.StatusCode);
        Assert.Equal(["image_not_found"], await ownEntry.ErrorCodesAsync());
        Assert.Equal(HttpStatusCode.NotFound, acceptAgain.StatusCode);
        Assert.Empty(await owner.Client.ListMembersAsync(imageId));
        Assert.Equal(HttpStatusCode.NotFound, removedAgain.StatusCode);
        Assert.Equal(["member_not_found"], await removedAgain.ErrorCodesAsync());
    }

    [Fact]
    public async Task DeleteImage_WithMembers_DeletesTheirRows()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        using var accepted = await Party.CreateAsync(app, "accepted");
        using var pending = await Party.CreateAsync(app, "pending");
        var imageId = await owner.Client.CreateImageAsync("shared");
        await owner.Client.AddMemberWithStatusAsync(imageId, accepted, "accepted");
        await owner.Client.AddMemberWithStatusAsync(imageId, pending, "pending");
        var rowsBefore = await app.CountMembersAsync(imageId);

        using var deleted = await owner.Client.DeleteAsync($"/v1/images/{imageId}", TestContext.Current.CancellationToken);

        Assert.Equal(2, rowsBefore);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(0, await app.CountMembersAsync(imageId));
        Assert.Empty(await accepted.Client.ListImageIdsAsync());
        Assert.Empty(await pending.Client.PendingImageIdsAsync());
    }

    [Fact]
    public async Task CreateImageMember_AfterUpdateToShared_Succeeds()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        using var member = await Party.CreateAsync(app, "member");
        var imageId = await owner.Client.CreateImageAsync("private");

        using var refused = await owner.Client.AddMemberAsync(imageId, member.AccountId);
        using var shared = await owner.Client.SetVisibilityAsync(imageId, "shared");
        using var added = await owner.Client.AddMemberAsync(imageId, member.AccountId);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, shared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal([imageId], await member.Client.PendingImageIdsAsync());
    }
}
