using System.Security.Claims;
using ImageService.Api.Authentication;
using ImageService.Protocol;
using Microsoft.AspNetCore.Diagnostics;

namespace ImageService.Api.Observability;

// One line per request (docs/operations.md#logs), and the correlation id that ties it to the
// client: X-Request-Id on every response, and HttpContext.TraceIdentifier, which 500 envelopes
// quote. The line names the route template, never the path or the query: a path holds image ids,
// and a query may hold a presigned URL's credentials. No header but the access key id is logged.
internal sealed partial class RequestLogMiddleware(RequestDelegate next, TimeProvider time, ILogger<RequestLogMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = time.GetTimestamp();
        var id = RequestId.For(context.Request);
        context.TraceIdentifier = id;

        // At OnStarting, not now: the exception handler clears the headers before writing a 500.
        context.Response.OnStarting(static state =>
        {
            var (response, requestId) = ((HttpResponse, string))state;
            response.Headers[ScpHeaders.RequestId] = requestId;
            return Task.CompletedTask;
        }, (context.Response, id));

        try
        {
            await next(context);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                // The exception handler forgets the endpoint before it writes the 500, but keeps it here.
                var endpoint = context.GetEndpoint() ?? context.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
                Log.Request(logger, context.Request.Method, (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)",
                    context.Response.StatusCode, time.GetElapsedTime(started).TotalMilliseconds, id,
                    context.User.FindFirstValue(ScpClaims.AccountId), AccessKeyId(context));
            }
        }
    }

    // The authenticated key, or the one a refused request claimed when it looks like a key id.
    private static string? AccessKeyId(HttpContext context)
    {
        if (context.User.FindFirstValue(ScpClaims.AccessKey) is { } authenticated)
        {
            return authenticated;
        }

        var claimed = context.Request.Headers[ScpHeaders.AccessKey];
        return claimed.Count == 1 && RequestId.IsValid(claimed[0]) && claimed[0]!.Length <= AccountIds.MaxLength ? claimed[0] : null;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information,
            "{Method} {Route} answered {StatusCode} in {ElapsedMs:0.0} ms; request {RequestId}, account {AccountId}, access key {AccessKeyId}")]
        public static partial void Request(ILogger logger, string method, string route, int statusCode, double elapsedMs,
            string requestId, string? accountId, string? accessKeyId);
    }
}
