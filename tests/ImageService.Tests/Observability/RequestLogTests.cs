using System.Net;
using System.Text.Json.Nodes;
using ImageService.Api.Data;
using ImageService.Protocol;
using ImageService.Tests.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Observability;

// The request log as an operator reads it (docs/operations.md#logs): JSON by configuration, one
// line per request, the route template and the caller's ids, never a secret, signature or query.
public sealed class RequestLogTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("imageservice-logs-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RequestLog_JsonFormatter_OneLinePerRequestWithRouteAndIdsButNoSecrets()
    {
        var environment = new Dictionary<string, string>
        {
            ["Data__Directory"] = _data,
            ["Logging__Console__FormatterName"] = "json",
        };
        var key = await ServiceProcess.CreateKeyAsync(environment, "acct-logs", Ct);
        using var service = await ServiceProcess.StartAsync(environment, Ct);
        using var client = service.CreateSignedClient(key);
        const string presigned = "X-Amz-Signature=0123456789abcdef-presigned";
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/images/img-logged-0001?{presigned}");
        request.Headers.Add(ScpHeaders.RequestId, "client-chosen.id:42");

        using var response = await client.SendAsync(request, Ct);
        var line = await Eventually.Async(
            () => Task.FromResult(service.Output.Select(Parse).FirstOrDefault(l => l?["State"]?["RequestId"]?.GetValue<string>() == "client-chosen.id:42")),
            TimeSpan.FromSeconds(30), "the request's log line");
        var everything = string.Join('\n', service.Output);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("client-chosen.id:42", response.Headers.GetValues(ScpHeaders.RequestId).Single());
        var state = line["State"]!;
        Assert.Equal("GET", state["Method"]!.GetValue<string>());
        Assert.Equal("/v1/images/{image_id}", state["Route"]!.GetValue<string>());
        Assert.Equal("404", state["StatusCode"]!.ToString());
        Assert.Equal("acct-logs", state["AccountId"]!.GetValue<string>());
        Assert.Equal(key.AccessKey, state["AccessKeyId"]!.GetValue<string>());
        Assert.NotNull(state["ElapsedMs"]);
        Assert.DoesNotContain(key.SecretKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("presigned", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("img-logged-0001", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(ScpHeaders.Signature, everything, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("non-ascii-\u00e9")]
    [InlineData("a-very-long-id-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task RequestId_UnsafeIncomingId_ReplacedByAFreshOne(string incoming)
    {
        using var app = ImageServiceApp.Create();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.TryAddWithoutValidation(ScpHeaders.RequestId, incoming);

        using var response = await client.SendAsync(request, Ct);

        Assert.Matches("^[0-9a-f]{32}$", response.Headers.GetValues(ScpHeaders.RequestId).Single());
    }

    [Fact]
    public async Task RequestId_OnEveryAnswer_IsFreshPerRequest()
    {
        using var app = ImageServiceApp.Create();
        using var client = app.CreateClient();

        using var first = await client.GetAsync("/v1/images", Ct);
        using var second = await client.GetAsync("/no-such-path", Ct);

        var ids = new[] { first, second }.Select(r => r.Headers.GetValues(ScpHeaders.RequestId).Single()).ToList();
        Assert.Equal(2, ids.Distinct().Count());
    }

    [Fact]
    public async Task RequestId_UnexpectedFailure_500EnvelopeQuotesTheClientsId()
    {
        using var app = ImageServiceApp.Create();
        using var client = await app.CreateAccountClientAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ImageDbContext>().Database.ExecuteSqlRawAsync("DROP TABLE image_members; DROP TABLE import_jobs; DROP TABLE images;", Ct);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/images");
        request.Headers.Add(ScpHeaders.RequestId, "trace-me-500");
        using var response = await client.SendAsync(request, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.InternalServerError, "internal_error");
        Assert.Equal("trace-me-500", response.Headers.GetValues(ScpHeaders.RequestId).Single());
        Assert.Contains("correlation id trace-me-500", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private static JsonNode? Parse(string line)
    {
        try
        {
            return line.StartsWith('{') ? JsonNode.Parse(line) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
