using System.Collections.Concurrent;
using System.Net;
using ImageService.Api.Imports;
using ImageService.Api.Imports.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageService.Tests.Imports.Sources;

/// <summary>
/// A real HTTP server on 127.0.0.1 with a free port, playing an object store that behaves well and badly.
/// </summary>
public sealed class SourceServer : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private WebApplication? _app;

    public static byte[] Body { get; } = CreateBody(300_000);

    public int Port { get; private set; }

    public string Origin => $"http://127.0.0.1:{Port}";

    /// <summary>The download client as the service builds it, allowed to reach the given sources.</summary>
    internal static ServiceProvider CreateServices(IEnumerable<string> allowedSources, Action<ImportOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddOptions<ImportOptions>().Configure(options =>
        {
            options.AllowedSources.AddRange(allowedSources);
            configure?.Invoke(options);
        });
        services.AddObjectStorageClient();
        return services.BuildServiceProvider();
    }

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();

        _app.MapGet("/bucket/image.qcow2", () => Results.Bytes(Body, "application/octet-stream"));
        _app.MapGet("/bucket/missing.qcow2", () => Results.NotFound());
        _app.MapGet("/bucket/forbidden.qcow2", () => Results.StatusCode(403));
        _app.MapGet("/bucket/hops/{count:int}/image.qcow2", (int count) => count > 0
            ? Results.Redirect($"/bucket/hops/{count - 1}/image.qcow2")
            : Results.Bytes(Body, "application/octet-stream"));
        _app.MapGet("/bucket/redirect.qcow2", (string to) => Results.Redirect(to));
        _app.MapGet("/bucket/busy/{id}.qcow2", (string id) => _hits.AddOrUpdate(id, 1, (_, hits) => hits + 1) == 1
            ? Results.StatusCode(503)
            : Results.Bytes(Body, "application/octet-stream"));
        _app.MapGet("/bucket/gzip.qcow2", (HttpContext context) =>
        {
            context.Response.Headers.ContentEncoding = "gzip";
            return Results.Bytes(Body, "application/octet-stream");
        });
        _app.MapGet("/bucket/chunked.qcow2", async (HttpContext context) =>
        {
            await context.Response.Body.WriteAsync(Body, context.RequestAborted);
        });
        _app.MapGet("/bucket/stall-headers.qcow2", async (HttpContext context) =>
        {
            await WaitUntilAbortedAsync(context.RequestAborted);
        });
        _app.MapGet("/bucket/stall-body.qcow2", async (HttpContext context) =>
        {
            context.Response.ContentLength = Body.Length;
            await context.Response.Body.WriteAsync(Body.AsMemory(0, 1000), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await WaitUntilAbortedAsync(context.RequestAborted);
        });

        await _app.StartAsync();
        Port = new Uri(_app.Urls.Single()).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    private static async Task WaitUntilAbortedAsync(CancellationToken aborted)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = aborted.Register(completion.SetResult);
        await completion.Task;
    }

    private static byte[] CreateBody(int length)
    {
        var body = new byte[length];
        new Random(42).NextBytes(body);
        return body;
    }
}
