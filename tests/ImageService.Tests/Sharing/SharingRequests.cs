using System.Net;
using System.Net.Http.Json;
using ImageService.Protocol;
using ImageService.Protocol.Images;
using ImageService.Protocol.Sharing;
using ImageService.Tests.Images;

namespace ImageService.Tests.Sharing;

// The calls the sharing tests make over and over, each one signed request.
public static class SharingRequests
{
    public static async Task<string> CreateImageAsync(this HttpClient client, string visibility = "shared", string name = "test-image", string? url = null)
    {
        var request = ImageRequests.Create(name) with { Visibility = visibility, Url = url ?? ImageRequests.Url };
        using var response = await client.PostAsync("/v1/images", ApiJson.Body(request), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadAsync<ImageShowResponse>()).Id;
    }

    public static Task<HttpResponseMessage> AddMemberAsync(this HttpClient client, string imageId, string memberId) =>
        client.PostAsync($"/v1/images/{imageId}/members", ApiJson.Body(new ImageMemberCreateRequest(memberId)), TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> SetStatusAsync(this HttpClient client, string imageId, string memberId, string status) =>
        client.PutAsync($"/v1/images/{imageId}/members/{memberId}", ApiJson.Body(new ImageMemberSetRequest(status)),
            TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> SetVisibilityAsync(this HttpClient client, string imageId, string visibility) =>
        client.PutAsync($"/v1/images/{imageId}", ApiJson.Body(new ImageSetRequest { Visibility = visibility }), TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> ShareAsync(this HttpClient client, string imageId) =>
        client.PostAsync($"/v1/images/{imageId}/share", null, TestContext.Current.CancellationToken);

    public static async Task<ImageShowResponse> ShowImageAsync(this HttpClient client, string imageId)
    {
        using var response = await client.GetAsync($"/v1/images/{imageId}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<ImageShowResponse>();
    }

    public static Task<string[]> ListImageIdsAsync(this HttpClient client, string query = "") => IdsAsync(client, "/v1/images" + query);

    public static Task<string[]> PendingImageIdsAsync(this HttpClient client, string query = "") => IdsAsync(client, "/v1/pending-images" + query);

    public static async Task<ImageMemberShowResponse[]> ListMembersAsync(this HttpClient client, string imageId)
    {
        var list = await client.GetFromJsonAsync<ImageMemberListResponse>($"/v1/images/{imageId}/members", ScpJson.Options,
            TestContext.Current.CancellationToken);
        return list!.Members.ToArray();
    }

    // Adds the member and, unless it should stay pending, sets its status as that member.
    public static async Task AddMemberWithStatusAsync(this HttpClient owner, string imageId, Party member, string status)
    {
        using var added = await owner.AddMemberAsync(imageId, member.AccountId);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        if (status != "pending")
        {
            using var set = await member.Client.SetStatusAsync(imageId, member.AccountId, status);
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }
    }

    // Image ids of a list in any version's shape.
    private static async Task<string[]> IdsAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObjectAsync();
        return body["images"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToArray();
    }
}
