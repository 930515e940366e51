using System.Net;
using Microsoft.Extensions.Options;

namespace ImageService.Tests.Sharing;

// Sharing:MaxMembersPerImage caps the members of one image (default 128, as Glance's
// image_member_quota); one more is 413.
public sealed class MemberLimitTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    [Fact]
    public async Task CreateImageMember_BeyondDefaultLimit_Returns413UntilOneIsRemoved()
    {
        using var owner = await Party.CreateAsync(app, "owner");
        var imageId = await owner.Client.CreateImageAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 128; i++)
        {
            using var added = await owner.Client.AddMemberAsync(imageId, $"acct-member-{i}");
            statuses.Add(added.StatusCode);
        }

        using var beyond = await owner.Client.AddMemberAsync(imageId, "acct-member-128");
        using var removed = await owner.Client.DeleteAsync($"/v1/images/{imageId}/members/acct-member-0", TestContext.Current.CancellationToken);
        using var afterRemoval = await owner.Client.AddMemberAsync(imageId, "acct-member-128");

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, beyond.StatusCode);
        Assert.Equal(["member_limit_exceeded"], await beyond.ErrorCodesAsync());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterRemoval.StatusCode);
        Assert.Equal(128, await app.CountMembersAsync(imageId));
    }

    [Fact]
    public async Task CreateImageMember_ConcurrentAddsPastConfiguredLimit_AdmitExactlyTheLimit()
    {
        using var limited = ImageServiceApp.Create(settings: new Dictionary<string, string?> { ["Sharing:MaxMembersPerImage"] = "5" });
        using var owner = await Party.CreateAsync(limited, "owner");
        var imageId = await owner.Client.CreateImageAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => owner.Client.AddMemberAsync(imageId, $"acct-racer-{i}")));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.RequestEntityTooLarge));
        Assert.Equal(5, await limited.CountMembersAsync(imageId));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("10001")]
    public void Startup_MemberLimitOutOfRange_Fails(string limit)
    {
        using var misconfigured = ImageServiceApp.Create(settings: new Dictionary<string, string?> { ["Sharing:MaxMembersPerImage"] = limit });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => misconfigured.Server);

        Assert.Contains("MaxMembersPerImage", error.Message, StringComparison.Ordinal);
    }
}
