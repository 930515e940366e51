using System.Text.Json.Nodes;
using ImageService.Tests.Images;
using ImageService.Tests.Versioning;

namespace ImageService.Tests.Contract;

// The raw JSON of create, show, update and list in every version, against committed files, after
// replacing what differs per run (ids, timestamps, owner) with placeholders.
public sealed class ResponseSnapshotTests(AllVersionsServedApp fixture) : IClassFixture<AllVersionsServedApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.1")]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public async Task ImageOperations_EachVersion_MatchTheirSnapshots(string version)
    {
        var accountId = "snapshot-" + version.Replace('.', '-') + "-" + Guid.NewGuid().ToString("N")[..8];
        var credentials = await fixture.App.CreateAccountAsync(accountId, "Snapshot Account", "snapshot@example.com");
        using var client = fixture.App.CreateSignedClient(credentials, version);
        var body = ImageRequests.CreateJson("snapshot-image")
            .With("min_disk", 100).With("os_distro", "alma").With("tags", new JsonArray(new JsonObject { ["key"] = "key", ["value"] = "value" }));

        using var created = await client.PostAsync("/v1/images", ApiJson.Body(body), Ct);
        var createdJson = JsonNode.Parse(await created.Content.ReadAsStringAsync(Ct))!;
        var id = createdJson["id"]!.GetValue<string>();
        var shown = JsonNode.Parse(await client.GetStringAsync($"/v1/images/{id}", Ct))!;
        using var updated = await client.PutAsync($"/v1/images/{id}", ApiJson.Body(new JsonObject { ["min_ram"] = 1024, ["visibility"] = "shared" }), Ct);
        var updatedJson = JsonNode.Parse(await updated.Content.ReadAsStringAsync(Ct))!;
        var listed = JsonNode.Parse(await client.GetStringAsync("/v1/images", Ct))!;

        Snapshot.Match($"createImage.v{version}", Placeholders(createdJson, id, accountId));
        Snapshot.Match($"showImage.v{version}", Placeholders(shown, id, accountId));
        Snapshot.Match($"updateImage.v{version}", Placeholders(updatedJson, id, accountId));
        Snapshot.Match($"listImages.v{version}", Placeholders(listed, id, accountId));
    }

    private static JsonNode Placeholders(JsonNode node, string id, string owner)
    {
        var text = node.ToJsonString()
            .Replace(id, "{image_id}", StringComparison.Ordinal)
            .Replace($"\"{owner}\"", "\"{owner}\"", StringComparison.Ordinal);
        text = System.Text.RegularExpressions.Regex.Replace(text, "\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\"", "\"{timestamp}\"");
        return JsonNode.Parse(text)!;
    }
}
