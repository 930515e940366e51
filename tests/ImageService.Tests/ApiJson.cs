using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImageService.Protocol;

namespace ImageService.Tests;

// Small conveniences for reading and writing the API's JSON in tests.
public static class ApiJson
{
    public static JsonContent Body(object value) => JsonContent.Create(value, value.GetType(), options: ScpJson.Options);

    public static StringContent Raw(string json, string contentType = "application/json") =>
        new(json, System.Text.Encoding.UTF8, contentType);

    // As the SDK sends it: Content-Type application/json with no charset.
    public static StringContent Body(JsonNode json)
    {
        var content = new StringContent(json.ToJsonString(), System.Text.Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(ScpJson.Options))!;

    // The codes of an error envelope, in order.
    public static async Task<string[]> ErrorCodesAsync(this HttpResponseMessage response)
    {
        var body = await response.ReadObjectAsync();
        return body["errors"]!.AsArray().Select(e => e!["code"]!.GetValue<string>()).ToArray();
    }

    // GETs a path that must answer 200 and returns its body.
    public static async Task<JsonObject> GetFromJsonObjectAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.ReadObjectAsync();
    }

    public static JsonElement Element(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
