using System.Globalization;
using ImageService.Api.Wire;
using ImageService.Protocol;

namespace ImageService.Api.Versioning;

internal sealed class VersioningMiddleware(RequestDelegate next, VersionLifecycle lifecycle, TimeProvider time)
{
    public Task InvokeAsync(HttpContext context)
    {
        var now = time.GetUtcNow();
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<VersionedEndpointMetadata>() is null)
        {
            // Every response says which version answered, even an unknown route's 404.
            Stamp(context, lifecycle.CurrentVersion(now).HeaderValue);
            return next(context);
        }

        var operationId = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
        var header = context.Request.Headers[ScpHeaders.ApiVersion];
        ApiVersion? requested = null;
        if (header.Count > 0)
        {
            if (header.Count > 1 || !ApiVersion.TryParseHeader(header[0] ?? "", out var parsed))
            {
                Stamp(context, lifecycle.CurrentVersion(now).HeaderValue);
                return ScpErrors.BadRequest("invalid_api_version",
                    $"The {ScpHeaders.ApiVersion} header must read '{ScpHeaders.ServiceName} <major>.<minor>', for example '{lifecycle.CurrentVersion(now).HeaderValue}'.")
                    .ExecuteAsync(context);
            }

            requested = parsed;
        }

        var decision = lifecycle.Decide(operationId, requested, now);
        if (!decision.Served)
        {
            Stamp(context, lifecycle.CurrentVersion(now).HeaderValue);
            var usable = decision.Usable.Count == 0 ? "none" : string.Join(", ", decision.Usable.Select(v => v.HeaderValue));
            return ScpErrors.Of(StatusCodes.Status406NotAcceptable, "unsupported_api_version",
                    $"API version {decision.Version.HeaderValue} is not available for {operationId}. Use one of: {usable}.")
                .ExecuteAsync(context);
        }

        context.Features.Set(decision);
        Stamp(context, decision.Version.HeaderValue);
        var headers = context.Response.Headers;
        if (decision.Deprecation is { } deprecation && decision.Sunset is { } sunset)
        {
            // RFC 9745: a structured-field date, "@" and Unix seconds. RFC 8594: an HTTP-date.
            headers["Deprecation"] = "@" + deprecation.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            headers["Sunset"] = sunset.ToString("R", CultureInfo.InvariantCulture);
        }

        return next(context);
    }

    // Set now, and again as the response starts: the exception handler clears a failed response's
    // headers before it writes the 500, and that response must say its version too.
    private static void Stamp(HttpContext context, string headerValue)
    {
        context.Response.Headers[ScpHeaders.ApiVersion] = headerValue;
        context.Response.OnStarting(
            static state =>
            {
                var (http, value) = ((HttpContext, string))state;
                http.Response.Headers[ScpHeaders.ApiVersion] = value;
                return Task.CompletedTask;
            },
            (context, headerValue));
    }
}
