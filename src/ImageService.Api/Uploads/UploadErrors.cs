using ImageService.Api.Imports;
using ImageService.Api.Imports.Sources;
using ImageService.Api.Quotas;
using ImageService.Api.Wire;

namespace ImageService.Api.Uploads;

// The upload's own answers, each code and text written once. A failed upload answers with the code
// its import status now carries (the image is killed), at the status that tells the client what to
// change: its data (400), its size or its quota (413), or nothing at all, the service failed (503, 500).
internal static class UploadErrors
{
    public static ScpErrorResult HasData(string status) =>
        ScpErrors.Conflict("image_has_data",
            $"The image is {status}; only an image without data (queued or killed) can take an upload.");

    public static ScpErrorResult UnsupportedMediaType() =>
        ScpErrors.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
            "Send the image's bytes as they are, with Content-Type: application/octet-stream (or none).");

    public static ScpErrorResult TooLarge(long maxImageBytes) =>
        ScpErrors.Of(StatusCodes.Status413PayloadTooLarge, ImportSourceCodes.SourceTooLarge,
            $"The image is larger than this service's limit of {maxImageBytes} bytes.");

    public static ScpErrorResult Failed(SourceFailure failure) => ScpErrors.Of(StatusOf(failure.Code), failure.Code, failure.Detail);

    private static int StatusOf(string code) => code switch
    {
        QuotaErrors.Code or ImportSourceCodes.SourceTooLarge => StatusCodes.Status413PayloadTooLarge,
        ImportErrorCodes.StorageFailed => StatusCodes.Status503ServiceUnavailable,
        ImportErrorCodes.Internal => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest,
    };
}
