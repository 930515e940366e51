using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Contract;

// GET /openapi/v1.json lists every operation the service serves, named by its operationId; new
// operations are picked up from the route table, so nobody has to remember to add them here.
public sealed class OpenApiOperationsTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    private static readonly string[] CoreOperations = ["createImage", "deleteImage", "listImages", "listVersions", "showImage", "updateImage"];

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenApiDocument_Unauthenticated_ListsEveryNamedRouteAsAnOperation()
    {
        using var client = app.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json", Ct))!;
        var documented = Operations(document).Select(o => o.OperationId).Order(StringComparer.Ordinal).ToArray();
        var routed = NamedRoutes().Select(r => r.Name).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(routed, documented);
        Assert.Subset(documented.ToHashSet(), CoreOperations.ToHashSet());
    }

    [Fact]
    public async Task OpenApiDocument_EachOperation_HasTheRoutesMethodPathAndASummary()
    {
        using var client = app.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json", Ct))!;
        var documented = Operations(document).ToDictionary(o => o.OperationId);

        foreach (var (name, method, path) in NamedRoutes())
        {
            Assert.True(documented.TryGetValue(name, out var operation), $"{name} is not in the OpenAPI document");
            Assert.Equal((method.ToLowerInvariant(), path), (operation.Method, operation.Path));
            Assert.False(string.IsNullOrWhiteSpace(operation.Summary), $"{name} has no summary");
        }
    }

    private static IEnumerable<(string OperationId, string Method, string Path, string? Summary)> Operations(JsonNode document) =>
        from path in document["paths"]!.AsObject()
        from method in path.Value!.AsObject()
        where Methods.Contains(method.Key)
        select (method.Value!["operationId"]!.GetValue<string>(), method.Key, path.Key, method.Value!["summary"]?.GetValue<string>());

    // Every endpoint with a name that is not excluded from descriptions; the name is the operationId.
    // A group's "" route reads "/v1/images/" raw; routing and OpenAPI both treat it as "/v1/images".
    private IEnumerable<(string Name, string Method, string Path)> NamedRoutes() =>
        from endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
        let name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
        where name is not null && endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true }
        from method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []
        select (name, method, "/" + endpoint.RoutePattern.RawText!.Trim('/'));
}
