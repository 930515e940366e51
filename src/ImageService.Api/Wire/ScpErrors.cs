using ImageService.Protocol.Errors;
using Microsoft.AspNetCore.WebUtilities;

namespace ImageService.Api.Wire;

internal static class ScpErrors
{
    public static ScpError Error(int status, string code, string detail) =>
        new(status, code, ReasonPhrases.GetReasonPhrase(status), detail);

    public static ScpErrorResult Of(int status, string code, string detail) => new(status, [Error(status, code, detail)]);

    public static ScpErrorResult BadRequest(string code, string detail) => Of(StatusCodes.Status400BadRequest, code, detail);

    public static ScpErrorResult Invalid(IReadOnlyList<ScpError> problems) => new(StatusCodes.Status400BadRequest, problems);

    public static ScpError InvalidField(string code, string detail) => Error(StatusCodes.Status400BadRequest, code, detail);

    public static ScpErrorResult ImageNotFound(string imageId) =>
        Of(StatusCodes.Status404NotFound, "image_not_found", $"Image {Quote(imageId)} could not be found.");

    public static ScpErrorResult Forbidden(string code, string detail) => Of(StatusCodes.Status403Forbidden, code, detail);

    public static ScpErrorResult Conflict(string code, string detail) => Of(StatusCodes.Status409Conflict, code, detail);

    public static ScpErrorResult UnsupportedMediaType() =>
        Of(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send the body as JSON with the header Content-Type: application/json.");

    public static ScpErrorResult PayloadTooLarge(string detail) => Of(StatusCodes.Status413PayloadTooLarge, "payload_too_large", detail);

    // docs/errors.md: a 500 names a correlation id the operator can find in the log, and nothing internal.
    public static ScpErrorResult Internal(string correlationId, int status = StatusCodes.Status500InternalServerError) =>
        Of(status, "internal_error",
            $"The service failed to answer; quote correlation id {correlationId} when reporting it.");

    // Ids come from the client: keep what is echoed short and printable.
    public static string Quote(string value) =>
        value.Length <= 64 && value.All(c => c is >= ' ' and <= '~') ? value : "(the given id)";
}
