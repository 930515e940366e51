using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Storage;

// Image data in an S3 bucket that every node shares: images/<image> once committed. While an import
// streams in, its data is an unfinished multipart upload of that key, so staging needs no second
// copy: completing the upload is the commit, aborting it throws the parts away, and the sweeper
// finds what a dead node left by listing the bucket's unfinished uploads.
internal sealed partial class S3ImageStore(IAmazonS3 s3, IOptions<StorageOptions> options, ILogger<S3ImageStore> logger) : IImageFileStore
{
    private const string Prefix = "images/";

    // S3's limits on the parts of a multipart upload: every part but the last at least 5 MiB, and a
    // copied part at most 5 GiB.
    private const long MinPartBytes = 5L << 20;
    private const long MaxCopyPartBytes = 5L << 30;
    private readonly S3StorageOptions _options = options.Value.S3;

    private string Bucket => _options.Bucket;

    public async Task<IImageUpload> BeginUploadAsync(string imageId, long? expectedLength, CancellationToken ct)
    {
        var key = Key(imageId) ?? throw new ArgumentException("Not an image id.", nameof(imageId));
        var started = await S3Errors.StoreAsync(() => s3.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key, ContentType = "application/octet-stream" }, ct));
        return new S3ImageUpload(s3, Bucket, key, $"{imageId}/{started.UploadId}", started.UploadId, _options, logger);
    }

    // The parts of an unfinished multipart upload cannot be read back. So the dead node's upload is
    // completed with exactly the parts of the staged prefix, which makes them an object under the
    // image's own key (served to no one: the image is not active) that can be read; a new multipart
    // upload of the same key takes that prefix as its first parts by UploadPartCopy, inside the store,
    // and the prefix is read back once for the hashes. The new upload's commit replaces the temporary
    // object; if the import fails instead, the upload's abort deletes it (S3ImageUpload.AbortAsync).
    public async Task<ResumedUpload?> ResumeUploadAsync(string imageId, string stagingKey, long stagedBytes, CancellationToken ct)
    {
        var slash = stagingKey.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || stagingKey[..slash] != imageId || Key(imageId) is not { } key || stagedBytes < MinPartBytes)
        {
            return null;
        }

        var deadUpload = stagingKey[(slash + 1)..];
        if (await PrefixPartsAsync(key, deadUpload, stagedBytes, ct) is not { } prefix)
        {
            return null;
        }

        var completed = await S3Errors.StoreAsync(() => s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = Bucket,
            Key = key,
            UploadId = deadUpload,
            PartETags = prefix,
        }, ct));
        var started = await S3Errors.StoreAsync(() => s3.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = Bucket, Key = key, ContentType = "application/octet-stream" }, ct));
        try
        {
            return await CopyPrefixAsync(imageId, key, started.UploadId, stagedBytes, completed.ETag, ct);
        }
        catch
        {
            // The new upload goes; the prefix object goes with the staging data (ImportTakeover.DiscardAsync).
            await DeleteStagingAsync($"{imageId}/{started.UploadId}", CancellationToken.None);
            throw;
        }
    }

    // The new upload's first parts copied from the prefix object, inside the store, and the prefix
    // opened to be read back once.
    private async Task<ResumedUpload> CopyPrefixAsync(
        string imageId, string key, string uploadId, long stagedBytes, string prefixETag, CancellationToken ct)
    {
        // Equal slices, so that none but the last of the whole upload is under S3's 5 MiB minimum
        // (5 GiB + 1 MiB cut at 5 GiB would leave a 1 MiB part before the new ones).
        var copied = new List<PartETag>();
        var slices = (stagedBytes + MaxCopyPartBytes - 1) / MaxCopyPartBytes;
        var slice = (stagedBytes + slices - 1) / slices;
        for (long first = 0; first < stagedBytes; first += slice)
        {
            var number = copied.Count + 1;
            var last = Math.Min(stagedBytes, first + slice) - 1;
            var part = await S3Errors.StoreAsync(() => s3.CopyPartAsync(new CopyPartRequest
            {
                SourceBucket = Bucket,
                SourceKey = key,
                DestinationBucket = Bucket,
                DestinationKey = key,
                UploadId = uploadId,
                PartNumber = number,
                FirstByte = first,
                LastByte = last,
            }, ct));
            copied.Add(new PartETag(number, part.ETag));
        }

        var staged = await S3Errors.StoreAsync(() => s3.GetObjectAsync(
            new GetObjectRequest { BucketName = Bucket, Key = key, ByteRange = new ByteRange(0, stagedBytes - 1) }, ct));
        var upload = new S3ImageUpload(
            s3, Bucket, key, $"{imageId}/{uploadId}", uploadId, _options, logger, new CopiedPrefix(copied, stagedBytes, prefixETag));
        return new ResumedUpload(upload, staged.ResponseStream, stagedBytes);
    }

    // The dead upload's parts from 1 that add up to exactly stagedBytes, or null when they do not
    // (a part missing, or the prefix not ending on a part's end).
    private async Task<List<PartETag>?> PrefixPartsAsync(string key, string uploadId, long stagedBytes, CancellationToken ct)
    {
        var parts = new List<PartETag>();
        long covered = 0;
        var request = new ListPartsRequest { BucketName = Bucket, Key = key, UploadId = uploadId };
        while (covered < stagedBytes)
        {
            ListPartsResponse page;
            try
            {
                page = await s3.ListPartsAsync(request, ct);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            foreach (var part in page.Parts ?? [])
            {
                if (covered >= stagedBytes)
                {
                    break;
                }

                if (part.PartNumber != parts.Count + 1)
                {
                    return null;
                }

                parts.Add(new PartETag(part.PartNumber ?? 0, part.ETag));
                covered += part.Size ?? 0;
            }

            if (page.IsTruncated != true)
            {
                break;
            }

            request.PartNumberMarker = page.NextPartNumberMarker?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return covered == stagedBytes ? parts : null;
    }

    public async Task<StoredImageContent?> OpenAsync(string imageId, CancellationToken ct)
    {
        if (Key(imageId) is not { } key)
        {
            return null;
        }

        GetObjectMetadataResponse head;
        try
        {
            head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = Bucket, Key = key }, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var length = head.ContentLength;
        return new StoredImageContent(length, null, async (offset, count, token) =>
        {
            var end = count is { } c ? offset + c - 1 : length - 1;
            if (offset >= length || end < offset)
            {
                return Stream.Null;
            }

            var request = new GetObjectRequest { BucketName = Bucket, Key = key, ByteRange = new ByteRange(offset, end) };
            var response = await s3.GetObjectAsync(request, token);
            return response.ResponseStream;
        });
    }

    public async Task DeleteAsync(string imageId, CancellationToken ct)
    {
        if (Key(imageId) is { } key)
        {
            await S3Errors.StoreAsync(() => s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, ct));
        }
    }

    public async IAsyncEnumerable<StoredObject> ListStagingAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListMultipartUploadsRequest { BucketName = Bucket, Prefix = Prefix };
        while (true)
        {
            var page = await s3.ListMultipartUploadsAsync(request, ct);
            foreach (var upload in page.MultipartUploads ?? [])
            {
                if (ImageIdOf(upload.Key) is { } imageId)
                {
                    yield return new StoredObject($"{imageId}/{upload.UploadId}", imageId, Utc(upload.Initiated));
                }
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.UploadIdMarker = page.NextUploadIdMarker;
        }
    }

    public async IAsyncEnumerable<StoredObject> ListStoredAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var request = new ListObjectsV2Request { BucketName = Bucket, Prefix = Prefix };
        while (true)
        {
            var page = await s3.ListObjectsV2Async(request, ct);
            foreach (var stored in page.S3Objects ?? [])
            {
                if (ImageIdOf(stored.Key) is { } imageId)
                {
                    yield return new StoredObject(imageId, imageId, Utc(stored.LastModified));
                }
            }

            if (page.IsTruncated != true)
            {
                yield break;
            }

            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    // stagingKey is "<image>/<upload id>", as BeginUploadAsync named it.
    public async Task DeleteStagingAsync(string stagingKey, CancellationToken ct)
    {
        var slash = stagingKey.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || Key(stagingKey[..slash]) is not { } key)
        {
            return;
        }

        try
        {
            await s3.AbortMultipartUploadAsync(
                new AbortMultipartUploadRequest { BucketName = Bucket, Key = key, UploadId = stagingKey[(slash + 1)..] }, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already completed or aborted.
        }
    }

    // Image ids come from URLs: only a plain name may ever become a key.
    private static string? Key(string imageId) =>
        imageId.Length is > 0 and <= 128 && imageId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') ? Prefix + imageId : null;

    private static string? ImageIdOf(string key) =>
        key.StartsWith(Prefix, StringComparison.Ordinal) && Key(key[Prefix.Length..]) is not null ? key[Prefix.Length..] : null;

    // A store that names no time makes the object look brand new: the sweeper then leaves it alone
    // rather than risk an upload in flight.
    private static DateTimeOffset Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(v.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : v.ToUniversalTime()) : DateTimeOffset.MaxValue;

    internal static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Could not abort the multipart upload of {Key}; the sweeper will abort it later")]
        public static partial void AbortFailed(ILogger logger, string key, Exception exception);

        [LoggerMessage(2, LogLevel.Error, "Could not upload part {PartNumber} of {Key}")]
        public static partial void PartFailed(ILogger logger, string key, int partNumber, Exception exception);
    }
}
