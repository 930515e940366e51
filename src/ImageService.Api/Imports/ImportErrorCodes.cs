namespace ImageService.Api.Imports;

// Codes of failed imports beyond the source's own (Sources/ImportSourceCodes) and the inspector's.
internal static class ImportErrorCodes
{
    public const string LengthMismatch = "length_mismatch";
    public const string ChecksumMismatch = "checksum_mismatch";
    public const string SizeMismatch = "size_mismatch";
    public const string UploadInterrupted = "upload_interrupted";
    public const string StorageFailed = "storage_failed";
    public const string Abandoned = "import_abandoned";
    public const string Internal = "internal_error";
}
