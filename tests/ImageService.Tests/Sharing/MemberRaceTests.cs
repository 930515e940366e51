using System.Net;
using ImageService.Api.Sharing;
using ImageService.Tests.Data;
using Microsoft.EntityFrameworkCore;

namespace ImageService.Tests.Sharing;

// A member accepting or rejecting while the owner removes it: the removal may land first (404: the
// account is no member any more, so image_not_found before the request reads the image and
// member_not_found after) or second (the status is set, then the member is removed), never a 500.
public sealed class MemberRaceTests : IDisposable
{
    private const int Rounds = 60;

    private static readonly string[] NotFoundCodes = ["member_not_found", "image_not_found"];

    private readonly RaceInjector _race = new();
    private readonly ImageServiceApp _app;

    public MemberRaceTests() => _app = ImageServiceApp.Create(services: RaceInjector.Register(_race));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UpdateImageMember_OwnerRemovesTheMemberJustBeforeTheWrite_Returns404MemberNotFound()
    {
        using var owner = await Party.CreateAsync(_app, "owner");
        using var member = await Party.CreateAsync(_app, "member");
        var imageId = await owner.Client.CreateImageAsync();
        await owner.Client.AddMemberWithStatusAsync(imageId, member, "pending");
        // The status change and its audit event share one transaction, which holds SQLite's write lock
        // from its start: the removal lands just before it, after the request read the member.
        _race.BeforeTransaction(() => RaceInjector.RunAsync(_app, db =>
            db.ImageMembers.Where(m => m.ImageId == imageId && m.MemberId == member.AccountId).ExecuteDeleteAsync(Ct)));

        using var response = await member.Client.SetStatusAsync(imageId, member.AccountId, MemberStatus.Accepted);

        Assert.True(_race.Fired);
        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.NotFound, "member_not_found");
        Assert.Empty(await owner.Client.ListMembersAsync(imageId));
    }

    [Fact]
    public async Task UpdateImageMember_RacingTheOwnersRemoval_Answers200Or404AndTheMemberIsGone()
    {
        using var owner = await Party.CreateAsync(_app, "owner");
        var imageId = await owner.Client.CreateImageAsync();
        var answers = new List<(HttpStatusCode Update, HttpStatusCode Delete)>();

        for (var round = 0; round < Rounds; round++)
        {
            using var member = await Party.CreateAsync(_app, "member");
            await owner.Client.AddMemberWithStatusAsync(imageId, member, "pending");
            var status = round % 2 == 0 ? MemberStatus.Accepted : MemberStatus.Rejected;

            var update = member.Client.SetStatusAsync(imageId, member.AccountId, status);
            var delete = owner.Client.DeleteAsync($"/v1/images/{imageId}/members/{member.AccountId}", Ct);
            using var updated = await update;
            using var deleted = await delete;

            answers.Add((updated.StatusCode, deleted.StatusCode));
            if (updated.StatusCode == HttpStatusCode.NotFound)
            {
                var code = Assert.Single(await ScpAssert.EnvelopeAsync(updated, HttpStatusCode.NotFound));
                Assert.Contains(code, NotFoundCodes);
            }
        }

        Assert.All(answers, a => Assert.Contains(a.Update, new[] { HttpStatusCode.OK, HttpStatusCode.NotFound }));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NoContent, a.Delete));
        Assert.Empty(await owner.Client.ListMembersAsync(imageId));
    }

    public void Dispose() => _app.Dispose();
}
