using ImageService.Api.Wire;

namespace ImageService.Api.Quotas;

// 413 quota_exceeded, naming the limit that was hit and the account's use (docs/quotas.md).
internal static class QuotaErrors
{
    public const string Code = "quota_exceeded";

    public static ScpErrorResult Images(QuotaUse use) => ScpErrors.Of(StatusCodes.Status413PayloadTooLarge, Code, ImagesDetail(use));

    public static ScpErrorResult Bytes(QuotaUse use) => ScpErrors.Of(StatusCodes.Status413PayloadTooLarge, Code, BytesDetail(use, null));

    public static string ImagesDetail(QuotaUse use) =>
        $"The account may own {use.MaxImages} images and owns {use.Images}; delete one, or ask the operator to raise its quota.";

    public static string BytesDetail(QuotaUse use, long? announced) =>
        (announced is { } size ? $"The source announced {size} bytes, but the" : "The") +
        $" account may store {use.MaxBytes} bytes and uses {use.Bytes} ({use.StoredBytes} stored, {use.ImportingBytes} importing); " +
        "delete images, or ask the operator to raise its quota.";
}
