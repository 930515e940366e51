using System.Net;
using System.Text.Json.Nodes;

namespace ImageService.Tests.Versioning;

// GET / (docs/signing.md): the document the SDK fetches, unauthenticated, before every call.
public sealed class VersionsDocumentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string?> Days => new()
    {
        {
            "2025-06-01T12:00:00Z",
            """{"versions":[{"id":"v1.3","links":[{"href":"http://localhost","rel":"self"}],"not_before":"","status":"CURRENT"},{"id":"v1.2","links":[{"href":"http://localhost","rel":"self"}],"not_before":"2026-08-31","status":"SUPPORTED"},{"id":"v1.1","links":[{"href":"http://localhost","rel":"self"}],"not_before":"2026-05-31","status":"DEPRECATED"},{"id":"v1.0","links":[{"href":"http://localhost","rel":"self"}],"not_before":"2025-12-31","status":"DEPRECATED"}]}""",
            null
        },
        {
            "2026-06-15T12:00:00Z",
            """{"versions":[{"id":"v1.3","links":[{"href":"http://localhost","rel":"self"}],"not_before":"","status":"CURRENT"},{"id":"v1.2","links":[{"href":"http://localhost","rel":"self"}],"not_before":"2026-08-31","status":"DEPRECATED"}]}""",
            null
        },
        {
            "2026-11-24T12:00:00Z",
            """{"versions":[{"id":"v1.3","links":[{"href":"http://localhost","rel":"self"}],"not_before":"","status":"CURRENT"}]}""",
            null
        },
        {
            "2026-11-24T12:00:00Z",
            """{"versions":[{"id":"v1.3","links":[{"href":"http://localhost","rel":"self"}],"not_before":"","status":"CURRENT"},{"id":"v1.2","links":[{"href":"http://localhost","rel":"self"}],"not_before":"2026-08-31","status":"DEPRECATED"},{"id":"v1.1","links":[{"href":"http://localhost","rel":"self"}],"not_before":"2026-05-31","status":"DEPRECATED"},{"id":"v1.0","links":[{"href":"http://localhost","rel":"self"}],"not_before":"2025-12-31","status":"DEPRECATED"}]}""",
            "true"
        },
    };

    [Theory]
    [MemberData(nameof(Days))]
    public async Task ListVersions_OnADay_ListsExactlyTheVersionsAnswered(string now, string expected, string? serveRetired)
    {
        using var app = ImageServiceApp.Create(
            LifecycleDates.Clock(SeedLifecycle.Utc(now)),
            new Dictionary<string, string?> { ["Versioning:ServeRetiredVersions"] = serveRetired ?? "false" });
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync(Ct));
    }

    // The newer SDK refuses to go on unless the document lists v1.3 (docs/signing.md).
    [Fact]
    public async Task ListVersions_Unauthenticated_ListsV1Dot3WithTheEndpointAsSelf()
    {
        using var app = new ImageServiceApp();
        using var client = app.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync("/", Ct))!;

        var entry = document["versions"]!.AsArray().Single(v => v!["id"]!.GetValue<string>() == "v1.3")!;
        Assert.Equal("CURRENT", entry["status"]!.GetValue<string>());
        Assert.Equal("http://localhost", entry["links"]![0]!["href"]!.GetValue<string>());
        Assert.Matches(@"^(|\d{4}-\d\d-\d\d)$", entry["not_before"]!.GetValue<string>());
    }
}
