namespace ImageService.Protocol;

/// <summary>How far a transfer has come.</summary>
/// <param name="BytesDone">Bytes transferred so far.</param>
/// <param name="BytesTotal">The whole length, when known.</param>
public readonly record struct TransferProgress(long BytesDone, long? BytesTotal);
