using System.Net;
using ImageService.Protocol;
using ImageService.Tests.Sharing;

namespace ImageService.Tests.PendingImages;

// docs/versions.md: pending images answer ImageListResponse in 1.0 and 1.1 and
// ImageListResponseV1Dot2 in 1.2 and 1.3 (1.3 does not add scp_supported_class_types here).
public sealed class PendingImagesContractTests(AllVersionsApp versions) : IClassFixture<AllVersionsApp>
{
    [Theory]
    [MemberData(nameof(AllVersionsApp.Versions), MemberType = typeof(AllVersionsApp))]
    public async Task ListPendingImages_EveryVersion_ItemsHaveThatVersionsShowShape(string version)
    {
        var app = versions.App;
        using var owner = await Party.CreateAsync(app, "owner", version);
        using var caller = await Party.CreateAsync(app, "caller", version);
        var imageId = await owner.Client.CreateImageAsync();
        await owner.Client.AddMemberWithStatusAsync(imageId, caller, "pending");
        var ct = TestContext.Current.CancellationToken;

        using var listed = await caller.Client.GetAsync("/v1/pending-images", ct);
        using var shown = await caller.Client.GetAsync($"/v1/images/{imageId}", ct);

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Equal($"{ScpHeaders.ServiceName} {version}", Assert.Single(listed.Headers.GetValues(ScpHeaders.ApiVersion)));
        var list = await listed.ReadObjectAsync();
        Assert.Equal(["images"], list.Select(p => p.Key));
        var item = Assert.Single(list["images"]!.AsArray())!.AsObject();
        var keys = item.Select(p => p.Key).Order().ToArray();
        Assert.Equal((await shown.ReadObjectAsync()).Select(p => p.Key).Order(), keys);
        Assert.Equal(version is "1.2" or "1.3", keys.Contains("scp_gpu_driver"));
        Assert.DoesNotContain("scp_supported_class_types", keys);
    }
}
