namespace ImageService.Protocol.Images;

/// <summary>What a download of an image's bytes received.</summary>
/// <param name="Bytes">How many bytes were written.</param>
/// <param name="Md5">The MD5 of the bytes, lower-case hex: the image's <c>checksum</c>.</param>
/// <param name="ETag">The service's entity tag, without quotes; null when it sent none.</param>
public sealed record ImageFileDownload(long Bytes, string Md5, string? ETag);
