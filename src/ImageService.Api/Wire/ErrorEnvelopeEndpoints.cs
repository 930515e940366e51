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
        var error = status switch
        {
            StatusCodes.Status404NotFound => ScpErrors.Of(status, "not_found", "No operation exists at this path; check the URL."),
            StatusCodes.Status405MethodNotAllowed =>
                ScpErrors.Of(status, "method_not_allowed", $"This path does not accept {context.Request.Method}; see the Allow header."),
            StatusCodes.Status401Unauthorized => ScpErrors.Of(status, "unauthorized", "The request signature is missing, invalid or expired."),
            StatusCodes.Status403Forbidden => ScpErrors.Of(status, "forbidden", "The access key may not do this."),
            StatusCodes.Status413PayloadTooLarge => ScpErrors.PayloadTooLarge("The request body is too large."),
            StatusCodes.Status415UnsupportedMediaType => ScpErrors.UnsupportedMediaType(),
            >= 500 => ScpErrors.Internal(CorrelationId(context), status),
            _ => ScpErrors.Of(status, "bad_request", "The request is not valid for this operation."),
        };
        return error.ExecuteAsync(context);
    }

    private static Task WriteExceptionAsync(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (exception is BadHttpRequestException bad)
        {
            const string Unreadable = "The request could not be read; check its headers and body.";
            return (bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ScpErrors.PayloadTooLarge(Unreadable)
                : ScpErrors.Of(bad.StatusCode, "bad_request", Unreadable)).ExecuteAsync(context);
        }

        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorEnvelopeEndpoints));
        Log.UnhandledException(logger, CorrelationId(context), exception);
        return ScpErrors.Internal(CorrelationId(context)).ExecuteAsync(context);
    }

    // The request's X-Request-Id (Observability/RequestLogMiddleware.cs), also on the request's log line.
    private static string CorrelationId(HttpContext context) => context.TraceIdentifier;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Unhandled exception; correlation id {CorrelationId}")]
        public static partial void UnhandledException(ILogger logger, string correlationId, Exception? exception);
    }
}
