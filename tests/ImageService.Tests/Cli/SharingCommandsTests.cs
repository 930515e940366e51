using System.Text.Json.Nodes;
using ImageService.Tests.Images;
using ImageService.Tests.Sharing;

namespace ImageService.Tests.Cli;

// members, images share and pending list, against the real service. Members can only be added to a
// shared image, and only an active image can be shared (docs/sharing.md), so images are created
// shared and, for share, marked active in the database as a finished import would leave them.
public sealed class SharingCommandsTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    [Fact]
    public async Task MembersAdd_NewMember_PrintsThePendingMembership()
    {
        using var accounts = await AccountsAsync();
        var (owner, memberId) = (accounts.Owner, accounts.MemberId);
        var imageId = await CreateAsync(owner);

        var result = await owner.RunAsync("members", "add", imageId, memberId);
        var membership = JsonNode.Parse(result.Stdout)!;

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(memberId, membership["member_id"]!.GetValue<string>());
        Assert.Equal(imageId, membership["image_id"]!.GetValue<string>());
        Assert.Equal("pending", membership["status"]!.GetValue<string>());
        Assert.Equal(["created_at", "image_id", "member_id", "status", "updated_at"], membership.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task MembersAdd_PrivateImage_ExitsAuthSayingTheImageIsNotShared()
    {
        using var accounts = await AccountsAsync();
        var (owner, memberId) = (accounts.Owner, accounts.MemberId);
        var created = await owner.RunAsync("images", "create", "--name", "private-image", "--os-distro", "ubuntu", "--url", ImageRequests.Url);
        var imageId = JsonNode.Parse(created.Stdout)!["id"]!.GetValue<string>();

        var result = await owner.RunAsync("members", "add", imageId, memberId);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("(403 image_not_shared)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MembersList_TableOutput_ShowsEachMemberAndStatus()
    {
        using var accounts = await AccountsAsync();
        var (owner, memberId) = (accounts.Owner, accounts.MemberId);
        var imageId = await CreateAsync(owner);
        await owner.RunAsync("members", "add", imageId, memberId);

        var result = await owner.RunAsync("members", "list", imageId, "--output", "table");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("MEMBER_ID", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(memberId, result.Stdout, StringComparison.Ordinal);
        Assert.Contains("pending", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MembersShow_JsonOutput_IsTheServicesExactJson()
    {
        var ownerCredentials = await app.CreateAccountAsync();
        using var owner = new CliRunner(app, ownerCredentials);
        using var http = app.CreateSignedClient(ownerCredentials);
        var memberId = NewAccountId("b");
        await app.CreateAccountAsync(memberId);
        var imageId = await CreateAsync(owner);
        await owner.RunAsync("members", "add", imageId, memberId);

        var result = await owner.RunAsync("members", "show", imageId, memberId);
        var direct = await http.GetStringAsync($"/v1/images/{imageId}/members/{memberId}", TestContext.Current.CancellationToken);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(direct + "\n", result.Stdout);
    }

    [Fact]
    public async Task MembersAccept_AsMember_MovesTheImageFromPendingToTheList()
    {
        using var accounts = await AccountsAsync();
        var (owner, member, memberId) = (accounts.Owner, accounts.Member, accounts.MemberId);
        var imageId = await CreateAsync(owner);
        await owner.RunAsync("members", "add", imageId, memberId);

        var pendingBefore = await member.RunAsync("pending", "list");
        var accepted = await member.RunAsync("members", "accept", imageId);
        var pendingAfter = await member.RunAsync("pending", "list");
        var listed = await member.RunAsync("images", "list");

        Assert.Equal(0, pendingBefore.ExitCode);
        Assert.Equal([imageId], Ids(pendingBefore.Stdout));
        Assert.Equal(0, accepted.ExitCode);
        Assert.Equal("accepted", JsonNode.Parse(accepted.Stdout)!["status"]!.GetValue<string>());
        Assert.Empty(Ids(pendingAfter.Stdout));
        Assert.Equal([imageId], Ids(listed.Stdout));
    }

    [Fact]
    public async Task MembersReject_AsMember_KeepsTheImageOutOfTheList()
    {
        using var accounts = await AccountsAsync();
        var (owner, member, memberId) = (accounts.Owner, accounts.Member, accounts.MemberId);
        var imageId = await CreateAsync(owner);
        await owner.RunAsync("members", "add", imageId, memberId);

        var rejected = await member.RunAsync("members", "reject", imageId, memberId);
        var listed = await member.RunAsync("images", "list");
        var pending = await member.RunAsync("pending", "list");

        Assert.Equal(0, rejected.ExitCode);
        Assert.Equal("rejected", JsonNode.Parse(rejected.Stdout)!["status"]!.GetValue<string>());
        Assert.Empty(Ids(listed.Stdout));
        Assert.Empty(Ids(pending.Stdout));
    }

    [Fact]
    public async Task MembersAdd_SameMemberTwice_ExitsConflict()
    {
        using var accounts = await AccountsAsync();
        var (owner, memberId) = (accounts.Owner, accounts.MemberId);
        var imageId = await CreateAsync(owner);
        await owner.RunAsync("members", "add", imageId, memberId);

        var again = await owner.RunAsync("members", "add", imageId, memberId);

        Assert.Equal(5, again.ExitCode);
        Assert.Contains("(409 ", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MembersRemove_AsOwner_EndsTheMembership()
    {
        using var accounts = await AccountsAsync();
        var (owner, memberId) = (accounts.Owner, accounts.MemberId);
        var imageId = await CreateAsync(owner);
        await owner.RunAsync("members", "add", imageId, memberId);

        var removed = await owner.RunAsync("members", "remove", imageId, memberId, "--output", "table");
        var shown = await owner.RunAsync("members", "show", imageId, memberId);

        Assert.Equal(0, removed.ExitCode);
        Assert.Equal($"Removed member {memberId} from image {imageId}.\n", removed.Stdout);
        Assert.Equal(4, shown.ExitCode);
    }

    [Fact]
    public async Task UpdateImage_AsAcceptedMember_ExitsAuth()
    {
        using var accounts = await AccountsAsync();
        var (owner, member, memberId) = (accounts.Owner, accounts.Member, accounts.MemberId);
        var imageId = await CreateAsync(owner);
        await owner.RunAsync("members", "add", imageId, memberId);
        await member.RunAsync("members", "accept", imageId);

        var result = await member.RunAsync("images", "update", imageId, "--min-disk", "10");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("(403 not_image_owner)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PendingList_ImageTypeFilter_IsPassedToTheService()
    {
        using var accounts = await AccountsAsync();
        var (owner, member, memberId) = (accounts.Owner, accounts.Member, accounts.MemberId);
        var imageId = await CreateAsync(owner);
        await owner.RunAsync("members", "add", imageId, memberId);

        var custom = await member.RunAsync("pending", "list", "--scp-image-type", "custom");
        var standard = await member.RunAsync("pending", "list", "--scp-image-type", "standard");

        Assert.Equal(0, custom.ExitCode);
        Assert.Equal([imageId], Ids(custom.Stdout));
        Assert.Empty(Ids(standard.Stdout));
        Assert.Contains("GET /v1/pending-images?scp_image_type=standard", member.Requests);
    }

    [Fact]
    public async Task ImagesShare_OwnSharedImage_IsAcceptedWithNothingOnStdout()
    {
        using var owner = await CliRunner.ForNewAccountAsync(app);
        var imageId = await CreateAsync(owner);
        await app.MarkActiveAsync(imageId);

        var json = await owner.RunAsync("images", "share", imageId);
        var table = await owner.RunAsync("images", "share", imageId, "--output", "table");

        Assert.Equal(0, json.ExitCode);
        Assert.Equal("", json.Stdout);
        Assert.Equal(0, table.ExitCode);
        Assert.Equal($"Image {imageId} is now shared. Add the accounts that may use it next: imagectl members add {imageId} ACCOUNT_ID\n", table.Stdout);
    }

    [Fact]
    public async Task ImagesShare_ImageStillImporting_ExitsConflict()
    {
        using var owner = await CliRunner.ForNewAccountAsync(app);
        var imageId = await CreateAsync(owner);

        var result = await owner.RunAsync("images", "share", imageId);

        Assert.Equal(5, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("(409 image_not_active)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImagesShare_MissingImage_Exits4()
    {
        using var owner = await CliRunner.ForNewAccountAsync(app);

        var result = await owner.RunAsync("images", "share", "70a599e0-31e7-49b7-b260-868f441e862b");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("image_not_found", result.Stderr, StringComparison.Ordinal);
    }

    private static string NewAccountId(string prefix) => $"acct-{prefix}-{Guid.NewGuid():N}"[..30];

    // An owner, and a member whose runner sends its own account id (so accept needs no member id).
    private async Task<Accounts> AccountsAsync()
    {
        var memberId = NewAccountId("b");
        return new Accounts(await CliRunner.ForNewAccountAsync(app, NewAccountId("a")), await CliRunner.ForNewAccountAsync(app, memberId), memberId);
    }

    // Members can only be added to a shared image, so the image is created shared.
    private static async Task<string> CreateAsync(CliRunner owner)
    {
        var created = await owner.RunAsync("images", "create", "--name", "shared-image", "--os-distro", "ubuntu", "--url", ImageRequests.Url,
            "--visibility", "shared");
        Assert.Equal(0, created.ExitCode);
        return JsonNode.Parse(created.Stdout)!["id"]!.GetValue<string>();
    }

    private sealed record Accounts(CliRunner Owner, CliRunner Member, string MemberId) : IDisposable
    {
        public void Dispose()
        {
            Owner.Dispose();
            Member.Dispose();
        }
    }

    private static string[] Ids(string json) => [.. JsonNode.Parse(json)!["images"]!.AsArray().Select(i => i!["id"]!.GetValue<string>())];
}
