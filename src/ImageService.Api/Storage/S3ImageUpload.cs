using System.Collections.Concurrent;
using Amazon.S3;
using Amazon.S3.Model;

namespace ImageService.Api.Storage;

// One import's multipart upload. The 1 MiB chunks of the copy fill a part buffer; a full part goes
// up while the next one fills, at most MaxPartsInFlight at once, so the copy stays one streaming
// pass and memory stays at (MaxPartsInFlight + 1) parts whatever the image's size. When the limit
// is reached, WriteAsync waits for the oldest part, which slows the copy down to the store's pace
// instead of buffering more. The upload keeps its own few buffers and reuses them part after part:
// ArrayPool.Shared would keep a returned 8 MiB array in the cache of each thread-pool thread that
// happened to return one, and the process would hold many more than three.
internal sealed class S3ImageUpload(
    IAmazonS3 s3, string bucket, string key, string stagingKey, string uploadId, S3StorageOptions options, ILogger logger,
    CopiedPrefix? copied = null) : IImageUpload
{
    private const int PartsPerTier = 1000;
    private const long MaxPartSize = 5L << 30;

    private readonly Queue<Task> _inFlight = new();
    private readonly List<PartETag> _parts = [.. copied?.Parts ?? []];

    // Acknowledged parts past the durable prefix, by number, until the parts before them are in too.
    private readonly Dictionary<int, long> _acknowledged = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<byte[]> _spare = [];
    private byte[]? _buffer;
    private int _filled;
    private int _partNumber = copied?.Parts.Count ?? 0;
    private int _durableParts = copied?.Parts.Count ?? 0;
    private long _durable = copied?.Bytes ?? 0;
    private volatile bool _done;

    public string StagingKey => stagingKey;

    public long DurableBytes => Interlocked.Read(ref _durable);

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty && !_done)
        {
            var size = PartSize(_partNumber + 1);
            _buffer ??= TakeBuffer(size);
            var take = Math.Min(data.Length, size - _filled);
            data.Span[..take].CopyTo(_buffer.AsSpan(_filled));
            _filled += take;
            data = data[take..];
            if (_filled == size)
            {
                await SendPartAsync(ct);
            }
        }
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        // The last part may be short, or empty when nothing was written: S3 wants at least one.
        if (_filled > 0 || _partNumber == 0)
        {
            await SendPartAsync(ct);
        }

        while (Oldest() is { } part)
        {
            await part.WaitAsync(ct);
            Dequeue();
        }

        var request = new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = uploadId,
            PartETags = [.. _parts.OrderBy(p => p.PartNumber)],
        };
        await S3Errors.StoreAsync(() => s3.CompleteMultipartUploadAsync(request, ct));
        _done = true;
        _stop.Dispose();
    }

    public async Task AbortAsync()
    {
        if (_done)
        {
            return;
        }

        // A shutdown can abort while the copy's last write is still returning: from here on writes
        // do nothing.
        _done = true;
        await _stop.CancelAsync();
        Task[] parts;
        lock (_inFlight)
        {
            parts = [.. _inFlight];
            _inFlight.Clear();
        }

        try
        {
            await Task.WhenAll(parts);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The parts are thrown away below either way.
        }

        _stop.Dispose();
        try
        {
            // An abort while a part is still arriving at the store can leave that part behind (the
            // S3 documentation says to abort again); every part has stopped by now.
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId });

            // A take-over's upload (S3ImageStore.ResumeUploadAsync) goes on from a prefix it made into
            // an object under the image's key; an import that does not commit leaves nothing there.
            // Only while it is still that prefix: a run that lost its lease stops after the node that
            // took the job over may have made a prefix object of its own there.
            if (copied is not null && await IsObjectAsync(copied.ETag))
            {
                await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key });
            }
        }
        catch (Exception e) when (e is AmazonS3Exception or Amazon.Runtime.AmazonClientException or HttpRequestException)
        {
            S3ImageStore.Log.AbortFailed(logger, key, e);
        }
    }

    public async ValueTask DisposeAsync() => await AbortAsync();

    private async Task<bool> IsObjectAsync(string etag)
    {
        try
        {
            var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key });
            return head.ETag == etag;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    // Parts double every 1,000 parts: 8 MiB parts cover 7.8 GiB in the first thousand, and ten
    // tiers cover about 8 TiB, all within S3's 10,000 parts.
    private int PartSize(int partNumber) =>
        (int)Math.Min(Math.Min(options.PartSizeBytes << Math.Min((partNumber - 1) / PartsPerTier, 20), MaxPartSize), Array.MaxLength);

    private async Task SendPartAsync(CancellationToken ct)
    {
        while (InFlight() >= options.MaxPartsInFlight && Oldest() is { } oldest)
        {
            await oldest.WaitAsync(ct);
            Dequeue();
        }

        var number = ++_partNumber;
        var buffer = _buffer ?? [];
        var length = _filled;
        _buffer = null;
        _filled = 0;
        lock (_inFlight)
        {
            if (_done)
            {
                return;
            }

            _inFlight.Enqueue(UploadPartAsync(number, buffer, length));
        }
    }

    // Parts grow every 1,000 parts; a spare buffer too small for the next part is dropped.
    private byte[] TakeBuffer(int size)
    {
        while (_spare.TryTake(out var spare))
        {
            if (spare.Length >= size)
            {
                return spare;
            }
        }

        return GC.AllocateUninitializedArray<byte>(size);
    }

    private int InFlight()
    {
        lock (_inFlight)
        {
            return _inFlight.Count;
        }
    }

    private Task? Oldest()
    {
        lock (_inFlight)
        {
            return _inFlight.TryPeek(out var part) ? part : null;
        }
    }

    private void Dequeue()
    {
        lock (_inFlight)
        {
            _inFlight.TryDequeue(out _);
        }
    }

    private async Task UploadPartAsync(int number, byte[] buffer, int length)
    {
        try
        {
            await Task.Yield();
            using var body = new MemoryStream(buffer, 0, length, writable: false);
            var response = await S3Errors.StoreAsync(() => s3.UploadPartAsync(new UploadPartRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = uploadId,
                PartNumber = number,
                InputStream = body,
                PartSize = length,

                // Swift's s3api (and other S3-compatible stores) refuse aws-chunked bodies.
                UseChunkEncoding = false,

                // Signing the payload means one more SHA-256 pass over every byte. Over TLS the
                // connection already protects it, and the SDK allows unsigned payloads only there.
                DisablePayloadSigning = string.IsNullOrEmpty(options.Endpoint) || options.Endpoint.StartsWith("https:", StringComparison.OrdinalIgnoreCase),
            }, _stop.Token));
            lock (_parts)
            {
                _parts.Add(new PartETag(number, response.ETag));
                _acknowledged[number] = length;
                while (_acknowledged.Remove(_durableParts + 1, out var size))
                {
                    _durableParts++;
                    Interlocked.Add(ref _durable, size);
                }
            }
        }
        catch (IOException e)
        {
            S3ImageStore.Log.PartFailed(logger, key, number, e);
            throw;
        }
        finally
        {
            _spare.Add(buffer);
        }
    }
}

// The first parts of a take-over's upload, copied from the prefix object whose ETag is given.
internal sealed record CopiedPrefix(IReadOnlyList<PartETag> Parts, long Bytes, string ETag);
