using ImageService.Protocol;
using ImageService.Protocol.Errors;

namespace ImageService.Api.Wire;

// The one way an expected failure leaves a handler: the SCP error envelope (docs/errors.md).
internal sealed class ScpErrorResult(int statusCode, IReadOnlyList<ScpError> errors) : IResult, IStatusCodeHttpResult
{
    public int StatusCode { get; } = statusCode;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public IReadOnlyList<ScpError> Errors { get; } = errors;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        return httpContext.Response.WriteAsJsonAsync(new ScpErrorEnvelope(Errors), ScpJson.Options, "application/json");
    }
}
