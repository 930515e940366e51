using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImageService.Tests.Imports;

// A real HTTP server on loopback standing in for Object Storage: the service downloads from it over
// a real socket, through its real SSRF checks.
public sealed class ObjectStorageServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, RequestDelegate> _routes = new(StringComparer.Ordinal);

    private ObjectStorageServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    // http://127.0.0.1:<port>, to list in Import:AllowedSources.
    public Uri BaseUri { get; }

    public int Requests => _requests;

    private int _requests;

    public static async Task<ObjectStorageServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ObjectStorageServer? server = null;
        app.Run(context =>
        {
            Interlocked.Increment(ref server!._requests);
            return server._routes.TryGetValue(context.Request.Path.Value ?? "", out var handler)
                ? handler(context)
                : NotFound(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new ObjectStorageServer(app, new Uri(address));
        return server;
    }

    public string Url(string path) => new Uri(BaseUri, path).ToString();

    public string ServeFile(string path, string file)
    {
        _routes[path] = context =>
        {
            context.Response.ContentType = "application/octet-stream";
            context.Response.ContentLength = new FileInfo(file).Length;
            return context.Response.SendFileAsync(file);
        };
        return Url(path);
    }

    // Serves the bytes whole to every request but the first, which trickles (a chunk, then 100 ms),
    // so that a test can kill a node in the middle of that first download.
    public string ServeTricklingFirst(string path, byte[] bytes, int chunk)
    {
        var attempts = 0;
        return Serve(path, async context =>
        {
            var slow = Interlocked.Increment(ref attempts) == 1;
            context.Response.ContentLength = bytes.Length;
            for (var offset = 0; offset < bytes.Length; offset += chunk)
            {
                await context.Response.Body.WriteAsync(bytes.AsMemory(offset, Math.Min(chunk, bytes.Length - offset)), context.RequestAborted);
                if (slow)
                {
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    await Task.Delay(100, context.RequestAborted);
                }
            }
        });
    }

    public string Serve(string path, RequestDelegate handler)
    {
        _routes[path] = handler;
        return Url(path);
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
