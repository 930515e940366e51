using System.Net;
using ImageService.Protocol.Images;
using ImageService.Protocol.Sharing;
using Microsoft.Extensions.Time.Testing;

namespace ImageService.Tests.Sharing;

// Members carry created_at and updated_at in the images' format (RFC 3339, UTC, whole seconds),
// read from the service's clock.
public sealed class MemberTimestampTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly ImageServiceApp _app;

    public MemberTimestampTests() => _app = ImageServiceApp.Create(_time);

    [Fact]
    public async Task UpdateImageMember_LaterStatus_MovesUpdatedAtOnly()
    {
        using var owner = await Party.CreateAsync(_app, "owner");
        using var member = await Party.CreateAsync(_app, "member");
        using var createdImage = await owner.Client.PostAsync("/v1/images",
            ApiJson.Body(Images.ImageRequests.Create() with { Visibility = "shared" }), TestContext.Current.CancellationToken);
        var image = await createdImage.ReadAsync<ImageShowResponseV1Dot2>();

        using var added = await owner.Client.AddMemberAsync(image.Id, member.AccountId);
        var created = await added.ReadAsync<ImageMemberShowResponse>();
        _time.Advance(TimeSpan.FromSeconds(90.4));
        using var accepted = await member.Client.SetStatusAsync(image.Id, member.AccountId, "accepted");
        var updated = await accepted.ReadAsync<ImageMemberShowResponse>();

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal("2026-11-24T03:00:00Z", image.CreatedAt);
        Assert.Equal(image.CreatedAt, created.CreatedAt);
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.Equal("2026-11-24T03:01:30Z", updated.UpdatedAt);
    }

    public void Dispose() => _app.Dispose();
}
