using ImageService.Tests.Imports;

namespace ImageService.Tests.Sharing;

// An active image, imported for real, shared by its owner with three accounts, one in each member
// status, and an account it is not shared with: every role of the permission table, each a real
// signed account.
public sealed class SharedImage : IDisposable
{
    private SharedImage(string imageId, Party owner, Party pending, Party accepted, Party rejected, Party stranger)
    {
        ImageId = imageId;
        Owner = owner;
        Pending = pending;
        Accepted = accepted;
        Rejected = rejected;
        Stranger = stranger;
    }

    public string ImageId { get; }

    public Party Owner { get; }

    public Party Pending { get; }

    public Party Accepted { get; }

    public Party Rejected { get; }

    public Party Stranger { get; }

    // The image is imported for real from sourceUrl, so the app's import worker must be on.
    public static async Task<SharedImage> ArrangeAsync(ImageServiceApp app, string sourceUrl)
    {
        var owner = await Party.CreateAsync(app, "owner");
        var pending = await Party.CreateAsync(app, "pending");
        var accepted = await Party.CreateAsync(app, "accepted");
        var rejected = await Party.CreateAsync(app, "rejected");
        var stranger = await Party.CreateAsync(app, "stranger");
        var imageId = await owner.Client.CreateImageAsync("shared", url: sourceUrl);
        Assert.Equal("active", (await owner.Client.WaitForImportAsync(imageId)).Status);
        await owner.Client.AddMemberWithStatusAsync(imageId, pending, "pending");
        await owner.Client.AddMemberWithStatusAsync(imageId, accepted, "accepted");
        await owner.Client.AddMemberWithStatusAsync(imageId, rejected, "rejected");
        return new SharedImage(imageId, owner, pending, accepted, rejected, stranger);
    }

    public Party this[Role role] => role switch
    {
        Role.Owner => Owner,
        Role.PendingMember => Pending,
        Role.AcceptedMember => Accepted,
        Role.RejectedMember => Rejected,
        Role.Stranger => Stranger,
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    public void Dispose()
    {
        foreach (var party in new[] { Owner, Pending, Accepted, Rejected, Stranger })
        {
            party.Dispose();
        }
    }
}
