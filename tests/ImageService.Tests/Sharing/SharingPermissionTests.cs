using System.Net;
using ImageService.Protocol.Images;
using ImageService.Protocol.Imports;

namespace ImageService.Tests.Sharing;

// Every cell of the permission table: each role tries each operation on an active shared image
// with stored data (a real import) that has a pending, an accepted and a rejected member, and gets
// exactly the expected status. A refused request must leave the image and its members as they were.
public sealed class SharingPermissionTests(SharedImageFixture fixture) : IClassFixture<SharedImageFixture>
{
    public enum Operation
    {
        ShowImage,
        UpdateImage,
        DeleteImage,
        ShareImage,
        ImportImage,
        ShowImageImport,
        DownloadImageFile,
        ListMembers,
        ShowPendingMember,
        ShowAcceptedMember,
        AddMember,
        AcceptPendingMember,
        RejectAcceptedMember,
        AcceptOwnMembership,
        RemovePendingMember,
        RemoveOwnMembership,
    }

    // Columns: owner, pending member, accepted member, rejected member, stranger.
    private static readonly Dictionary<Operation, int[]> Expected = new()
    {
        [Operation.ShowImage] = [200, 200, 200, 200, 404],
        [Operation.UpdateImage] = [200, 403, 403, 403, 404],
        [Operation.DeleteImage] = [204, 403, 403, 403, 404],
        [Operation.ShareImage] = [202, 403, 403, 403, 404],
        [Operation.ImportImage] = [409, 403, 403, 403, 404],
        [Operation.ShowImageImport] = [200, 200, 200, 200, 404],
        [Operation.DownloadImageFile] = [200, 200, 200, 200, 404],
        [Operation.ListMembers] = [200, 200, 200, 200, 404],
        [Operation.ShowPendingMember] = [200, 200, 404, 404, 404],
        [Operation.ShowAcceptedMember] = [200, 404, 200, 404, 404],
        [Operation.AddMember] = [200, 403, 403, 403, 404],
        [Operation.AcceptPendingMember] = [403, 200, 404, 404, 404],
        [Operation.RejectAcceptedMember] = [403, 404, 200, 404, 404],
        [Operation.AcceptOwnMembership] = [403, 200, 200, 200, 404],
        [Operation.RemovePendingMember] = [204, 403, 403, 403, 404],
        [Operation.RemoveOwnMembership] = [404, 403, 403, 403, 404],
    };

    // The error codes of rows where the status alone would not show why: the owner's import is
    // refused because the image has data, a member's because it does not own the image.
    private static readonly Dictionary<Operation, string?[]> ExpectedCodes = new()
    {
        [Operation.ImportImage] = ["image_has_data", "not_image_owner", "not_image_owner", "not_image_owner", "image_not_found"],
        [Operation.ShowImageImport] = [null, null, null, null, "image_not_found"],
        [Operation.DownloadImageFile] = [null, null, null, null, "image_not_found"],
    };

    private ImageServiceApp App => fixture.App;

    public static TheoryData<Role, Operation, HttpStatusCode> Cells()
    {
        var data = new TheoryData<Role, Operation, HttpStatusCode>();
        foreach (var (operation, statuses) in Expected)
        {
            foreach (var role in Enum.GetValues<Role>())
            {
                data.Add(role, operation, (HttpStatusCode)statuses[(int)role]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Operation_ByRole_ReturnsTableStatus(Role role, Operation operation, HttpStatusCode expected)
    {
        using var shared = await SharedImage.ArrangeAsync(App, fixture.SourceUrl);
        var before = await SnapshotAsync(shared);

        using var response = await SendAsync(shared, shared[role], operation);

        Assert.Equal(expected, response.StatusCode);
        if (response.IsSuccessStatusCode)
        {
            await AssertDataAsync(operation, response);
        }
        else
        {
            var error = (await response.ReadObjectAsync())["errors"]![0]!;
            Assert.Equal((int)expected, error["status"]!.GetValue<int>());
            if (ExpectedCodes.TryGetValue(operation, out var codes))
            {
                Assert.Equal(codes[(int)role], error["code"]!.GetValue<string>());
            }

            Assert.Equal(before, await SnapshotAsync(shared));
        }
    }

    [Fact]
    public async Task DownloadImageFile_ImageMadePrivateAgain_Returns404ToEveryMember()
    {
        using var shared = await SharedImage.ArrangeAsync(App, fixture.SourceUrl);
        using var madePrivate = await shared.Owner.Client.SetVisibilityAsync(shared.ImageId, "private");
        var ct = TestContext.Current.CancellationToken;
        var file = $"/v2/images/{shared.ImageId}/file";

        using var owner = await shared.Owner.Client.GetAsync(file, ct);
        using var pending = await shared.Pending.Client.GetAsync(file, ct);
        using var accepted = await shared.Accepted.Client.GetAsync(file, ct);
        using var rejected = await shared.Rejected.Client.GetAsync(file, ct);

        Assert.Equal(HttpStatusCode.OK, madePrivate.StatusCode);
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        Assert.Equal(fixture.SourceBytes, await owner.Content.ReadAsByteArrayAsync(ct));
        foreach (var member in new[] { pending, accepted, rejected })
        {
            Assert.Equal(HttpStatusCode.NotFound, member.StatusCode);
            Assert.Equal(["image_not_found"], await member.ErrorCodesAsync());
        }
    }

    [Fact]
    public void Table_CoversEveryOperation()
    {
        Assert.Equal(Enum.GetValues<Operation>(), Expected.Keys.Order());
        Assert.All(Expected.Values, statuses => Assert.Equal(Enum.GetValues<Role>().Length, statuses.Length));
        Assert.All(ExpectedCodes.Values, codes => Assert.Equal(Enum.GetValues<Role>().Length, codes.Length));
    }

    private Task<HttpResponseMessage> SendAsync(SharedImage shared, Party actor, Operation operation)
    {
        var image = $"/v1/images/{shared.ImageId}";
        var client = actor.Client;
        var ct = TestContext.Current.CancellationToken;
        return operation switch
        {
            Operation.ShowImage => client.GetAsync(image, ct),
            Operation.UpdateImage => client.PutAsync(image, ApiJson.Body(new ImageSetRequest { MinDisk = 1 }), ct),
            Operation.DeleteImage => client.DeleteAsync(image, ct),
            Operation.ShareImage => client.ShareAsync(shared.ImageId),
            Operation.ImportImage => client.PostAsync($"{image}/import", ApiJson.Body(new ImageImportRequest(fixture.SourceUrl)), ct),
            Operation.ShowImageImport => client.GetAsync($"{image}/import", ct),
            Operation.DownloadImageFile => client.GetAsync($"/v2/images/{shared.ImageId}/file", ct),
            Operation.ListMembers => client.GetAsync($"{image}/members", ct),
            Operation.ShowPendingMember => client.GetAsync($"{image}/members/{shared.Pending.AccountId}", ct),
            Operation.ShowAcceptedMember => client.GetAsync($"{image}/members/{shared.Accepted.AccountId}", ct),
            Operation.AddMember => client.AddMemberAsync(shared.ImageId, "acct-new-" + Guid.NewGuid().ToString("N")[..8]),
            Operation.AcceptPendingMember => client.SetStatusAsync(shared.ImageId, shared.Pending.AccountId, "accepted"),
            Operation.RejectAcceptedMember => client.SetStatusAsync(shared.ImageId, shared.Accepted.AccountId, "rejected"),
            Operation.AcceptOwnMembership => client.SetStatusAsync(shared.ImageId, actor.AccountId, "accepted"),
            Operation.RemovePendingMember => client.DeleteAsync($"{image}/members/{shared.Pending.AccountId}", ct),
            Operation.RemoveOwnMembership => client.DeleteAsync($"{image}/members/{actor.AccountId}", ct),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };
    }

    // What a reader gets from the rows that answer data: the finished import, and the stored bytes.
    private async Task AssertDataAsync(Operation operation, HttpResponseMessage response)
    {
        if (operation == Operation.ShowImageImport)
        {
            var status = await response.ReadAsync<ImportStatusResponse>();
            Assert.Equal("succeeded", status.State);
            Assert.Equal(fixture.SourceBytes.Length, status.BytesDone);
        }
        else if (operation == Operation.DownloadImageFile)
        {
            Assert.Equal(fixture.SourceBytes, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }
    }

    // The image and its members as the owner sees them.
    private static async Task<string> SnapshotAsync(SharedImage shared)
    {
        var ct = TestContext.Current.CancellationToken;
        var image = await shared.Owner.Client.GetStringAsync($"/v1/images/{shared.ImageId}", ct);
        var members = await shared.Owner.Client.ListMembersAsync(shared.ImageId);
        return image + string.Join(";", members.Select(m => m.ToString()));
    }
}
