using ImageService.Protocol;
using ImageService.Protocol.Errors;
using Microsoft.AspNetCore.Diagnostics;

namespace ImageService.Api.Wire;

// Failures that no handler returns (unknown routes, wrong methods, framework-level bad requests and
// bugs) get the same envelope as everything else.
internal static partial class ErrorEnvelopeEndpoints
{
    public static IApplicationBuilder UseScpErrorEnvelopes(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = WriteExceptionAsync });
        app.UseStatusCodePages(context => WriteStatusAsync(context.HttpContext));
        return app;
    }

    private static Task WriteStatusAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        var (code, detail) = status switch
        {
            StatusCodes.Status404NotFound => ("not_found", "No operation exists at this path; check the URL."),
            StatusCodes.Status405MethodNotAllowed => ("method_not_allowed", $"This path does not accept {context.Request.Method}; see the Allow header."),
            StatusCodes.Status401Unauthorized => ("unauthorized", "The request signature is missing, invalid or expired."),
            StatusCodes.Status403Forbidden => ("forbidden", "The access key may not do this."),
            StatusCodes.Status413PayloadTooLarge => ("payload_too_large", "The request body is too large."),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported_media_type", "Send the body as JSON with the header Content-Type: application/json."),
            >= 500 => ("internal_error", $"The service failed to answer; quote correlation id {CorrelationId(context)} when reporting it."),
            _ => ("bad_request", "The request is not valid for this operation."),
        };
        return Write(context, status, code, detail);
    }

    private static Task WriteExceptionAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (exception is BadHttpRequestException bad)
        {
            var code = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "payload_too_large" : "bad_request";
            return Write(context, bad.StatusCode, code, "The request could not be read; check its headers and body.");
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorEnvelopeEndpoints));
        Log.UnhandledException(logger, CorrelationId(context), exception);
        return Write(context, StatusCodes.Status500InternalServerError, "internal_error",
            $"The service failed to answer; quote correlation id {CorrelationId(context)} when reporting it.");
    }

    // The request's X-Request-Id (Observability/RequestLogMiddleware.cs), also on the request's log line.
    private static string CorrelationId(HttpContext context) => context.TraceIdentifier;

    private static Task Write(HttpContext context, int status, string code, string detail)
    {
        context.Response.StatusCode = status;
        var envelope = new ScpErrorEnvelope([ScpErrors.Error(status, code, detail)]);
        return context.Response.WriteAsJsonAsync(envelope, ScpJson.Options, "application/json");
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Unhandled exception; correlation id {CorrelationId}")]
        public static partial void UnhandledException(ILogger logger, string correlationId, Exception? exception);
    }
}
