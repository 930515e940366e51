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

    // Ids come from the client: keep what is echoed short and printable.
    public static string Quote(string value) =>
        value.Length <= 64 && value.All(c => c is >= ' ' and <= '~') ? value : "(the given id)";
}
