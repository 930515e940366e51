using Microsoft.AspNetCore.Http.Features;

namespace ImageService.Api.Wire;

// Kestrel answers a request over one of its limits itself, with an empty body, before any middleware
// runs; its maintainers confirm that answer cannot be customised (aspnet/KestrelHttpServer#2947). So
// Kestrel's limits are set above the service's own, and the first middleware enforces the service's
// limits with the SCP envelope. Only requests beyond Kestrel's wider limits, or that HTTP/1.1 cannot
// parse at all, get Kestrel's bare answer: docs/api.md lists them.
internal static class RequestLimits
{
    // Kestrel's defaults, which clients have always met: now the service's own limits.
    public const int MaxTargetLength = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;
    public const int MaxHeaderCount = 100;

    // Where Kestrel itself refuses, bare. A request line or header block of this size is no client
    // of this API; the limits stay small so that a connection still holds little memory.
    public const int ServerMaxRequestLine = 64 * 1024;
    public const int ServerMaxHeaderBytes = 64 * 1024;
    public const int ServerMaxHeaderCount = 200;

    public static IWebHostBuilder UseServerLimits(this IWebHostBuilder host) =>
        host.ConfigureKestrel(o =>
        {
            o.Limits.MaxRequestLineSize = ServerMaxRequestLine;
            o.Limits.MaxRequestHeadersTotalSize = ServerMaxHeaderBytes;
            o.Limits.MaxRequestHeaderCount = ServerMaxHeaderCount;
        });

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) => app.Use((context, next) =>
        Refusal(context) is { } refusal ? refusal.ExecuteAsync(context) : next(context));

    private static ScpErrorResult? Refusal(HttpContext context)
    {
        // The raw target as the client sent it; the test server leaves it empty.
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var length = string.IsNullOrEmpty(target)
            ? (context.Request.Path.Value?.Length ?? 0) + (context.Request.QueryString.Value?.Length ?? 0)
            : target.Length;
        if (length > MaxTargetLength)
        {
            return ScpErrors.Of(StatusCodes.Status414UriTooLong, "uri_too_long",
                $"The request target must be at most {MaxTargetLength} characters; no operation of this API needs more.");
        }

        var (count, bytes) = (0, 0);
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                count++;
                bytes += name.Length + (value?.Length ?? 0);
            }
        }

        return count > MaxHeaderCount || bytes > MaxHeaderBytes
            ? ScpErrors.Of(StatusCodes.Status431RequestHeaderFieldsTooLarge, "request_headers_too_large",
                $"Send at most {MaxHeaderCount} header fields of at most {MaxHeaderBytes} bytes in all.")
            : null;
    }
}
