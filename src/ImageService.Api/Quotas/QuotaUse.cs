namespace ImageService.Api.Quotas;

// An account's limits (its override, else the configured default; null is unlimited) and what it
// uses: images it owns, bytes they store, and bytes its running imports hold.
internal sealed record QuotaUse(long? MaxImages, long? MaxBytes, long Images, long StoredBytes, long ImportingBytes)
{
    public long Bytes => StoredBytes + ImportingBytes;

    public bool ImagesFull => Images >= MaxImages;

    public bool BytesFull => Bytes >= MaxBytes;

    // Room left for one more image's data; null when bytes are unlimited.
    public long? BytesLeft => MaxBytes is { } max ? Math.Max(0, max - Bytes) : null;
}
