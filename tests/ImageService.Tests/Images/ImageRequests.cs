using System.Text.Json.Nodes;
using ImageService.Protocol.Images;

namespace ImageService.Tests.Images;

// Valid request bodies to start from; tests change one thing at a time.
public static class ImageRequests
{
    public const string Url = "https://object-store.example.com/bucket/images/ubuntu.qcow2";

    public static ImageCreateRequest Create(string name = "test-image") => new()
    {
        Name = name,
        OsDistro = "ubuntu",
        Url = Url,
    };

    // The same body as raw JSON, for fields a typed record cannot carry (wrong types, unknown keys).
    public static JsonObject CreateJson(string name = "test-image") => new()
    {
        ["name"] = name,
        ["os_distro"] = "ubuntu",
        ["url"] = Url,
    };

    public static JsonObject With(this JsonObject body, string field, JsonNode? value)
    {
        body[field] = value;
        return body;
    }

    public static JsonObject Without(this JsonObject body, string field)
    {
        body.Remove(field);
        return body;
    }

    // POSTs a valid body and returns the created image's id.
    public static async Task<string> CreateImageAsync(this HttpClient client, ImageCreateRequest? request = null)
    {
        using var response = await client.PostAsync("/v1/images", ApiJson.Body(request ?? Create()), TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.ReadObjectAsync())["id"]!.GetValue<string>();
    }
}
