using System.Collections.Concurrent;
using System.Security.Cryptography;
using ImageService.Api.Imports.Inspection;
using ImageService.Api.Imports.Sources;
using ImageService.Api.Storage;
using ImageService.Protocol;
using ImageService.Protocol.Images;

namespace ImageService.Api.Imports;

// The one pass over an image's bytes. A reader fills a small, fixed set of buffers from the source;
// SHA-512, MD5 with the format inspector, the store's writer and, only when the client expects a
// SHA-256, SHA-256, each take every buffer in turn, side by side, and the buffer returns to the reader
// when all of them are done with it. Nothing is read or written twice, and memory stays at
// ChunkCount * ChunkSize whatever the image's size.
internal sealed class ImportCopy : IDisposable
{
    public const int ChunkSize = 1 << 20;
    public const int ChunkCount = 8;

    // Buffers outlive an import: they are pinned (never moved, so never compacted), and a fresh set
    // for every import left the pinned heap growing by 8 MiB an import until the next full GC
    // (bench/import.sh, three rounds: peak RSS 159 -> 181 MiB). Kept for two imports at a time,
    // the per-node default; a node running more allocates the rest and lets them go.
    private const int SpareLimit = 2 * ChunkCount;
    private static readonly ConcurrentQueue<Chunk> Spare = new();

    private readonly ConcurrentQueue<Chunk> _free = new();
    private readonly List<Chunk> _owned = new(ChunkCount);
    private readonly SemaphoreSlim _freeCount = new(0, ChunkCount);
    private long _bytesDone;
    private bool _stagesDone;

    public long BytesDone => Interlocked.Read(ref _bytesDone);

    // `staged`, when a job taken over goes on from what a dead node stored (ImportTakeover): that
    // prefix is read back first and goes to the hashes and the inspector only, since it is stored
    // already, and `source` is the rest of the object; `contentLength` is the whole object's.
    public async Task<CopyOutcome> RunAsync(
        StagedPrefix? staged, Stream source, long? contentLength, IImageUpload upload, DiskImageInspector inspector, long maxBytes,
        ExpectedImageData? expected, CancellationToken ct)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var failure = new FailureSlot(failed);
        for (var i = 0; i < ChunkCount; i++)
        {
            var chunk = Spare.TryDequeue(out var spare) ? spare : Chunk.Allocate();
            _owned.Add(chunk);
            _free.Enqueue(chunk);
            _freeCount.Release();
        }

        using var toSha = new BlockingCollection<Chunk>();
        using var toMd5 = new BlockingCollection<Chunk>();
        using var toWriter = new BlockingCollection<Chunk>();
        using var sha512 = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);

        // SHA-256 costs as much CPU as SHA-512 on a 64-bit machine: computed only when it is asked for.
        using var toSha256 = new BlockingCollection<Chunk>();
        using var sha256 = expected?.Checksum?.Algorithm == "sha256" ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        var sha256Task = sha256 is null
            ? Task.CompletedTask
            : Task.Factory.StartNew(() => Consume(toSha256, c => sha256.AppendData(c.Span), failure, failed.Token),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var stages = sha256 is null ? 3 : 4;

        // The two hashes are the expensive part; each gets a thread of its own so that they run on
        // separate cores at once, while the reader and the writer mostly wait on I/O.
        var shaTask = Task.Factory.StartNew(() => Consume(toSha, c => sha512.AppendData(c.Span), failure, failed.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var md5Task = Task.Factory.StartNew(() => Consume(toMd5, c =>
            {
                md5.AppendData(c.Span);
                if (inspector.Append(c.Span) is { } refused)
                {
                    failure.Set(refused.Code, refused.Detail);
                }
            }, failure, failed.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        // The writer blocks in the file system (or the object store's client) for each buffer; on a
        // thread of its own it never holds one of the thread pool's few threads, which the reader's
        // socket completions need.
        var writeTask = Task.Factory.StartNew(() => WriteAll(toWriter, upload, failure, failed.Token),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        void Hash(Chunk chunk)
        {
            toSha.Add(chunk, CancellationToken.None);
            toMd5.Add(chunk, CancellationToken.None);
            if (sha256 is not null)
            {
                toSha256.Add(chunk, CancellationToken.None);
            }
        }

        try
        {
            if (staged is { } prefix)
            {
                await ReadAllAsync(prefix.Content, null, maxBytes, expected?.Size, stages - 1, failure, Hash, failed.Token);

                // A prefix that read back shorter or longer than recorded would shift every later byte.
                if (failure.Value is null && BytesDone != prefix.Length)
                {
                    failure.Set(ImportErrorCodes.StorageFailed,
                        "The data stored before this node took the import over could not be read back whole; import it again.");
                }
            }

            if (failure.Value is null)
            {
                await ReadAllAsync(source, contentLength, maxBytes, expected?.Size, stages, failure, chunk =>
                {
                    Hash(chunk);
                    toWriter.Add(chunk, CancellationToken.None);
                }, failed.Token);
            }
        }
        finally
        {
            toSha.CompleteAdding();
            toMd5.CompleteAdding();
            toWriter.CompleteAdding();
            toSha256.CompleteAdding();
            await Task.WhenAll(shaTask, md5Task, writeTask, sha256Task);
            _stagesDone = true;
        }

        ct.ThrowIfCancellationRequested();
        if (failure.Value is { } f)
        {
            return CopyOutcome.Failed(f.Code, f.Detail);
        }

        var md5Hex = Convert.ToHexStringLower(md5.GetHashAndReset());
        var sha512Hex = Convert.ToHexStringLower(sha512.GetHashAndReset());

        // The client's expectation first: bytes other than the ones it meant are better named as
        // such than by what the inspector finds wrong with them.
        if (Mismatch(expected, BytesDone, md5Hex, sha512Hex, sha256 is null ? null : Convert.ToHexStringLower(sha256.GetHashAndReset())) is { } mismatch)
        {
            return mismatch;
        }

        var verdict = inspector.Complete();
        if (verdict.Failure is { } refused)
        {
            return CopyOutcome.Failed(refused.Code, refused.Detail);
        }

        return CopyOutcome.Succeeded(BytesDone, md5Hex, sha512Hex, verdict.VirtualSize);
    }

    private static CopyOutcome? Mismatch(ExpectedImageData? expected, long size, string md5, string sha512, string? sha256)
    {
        if (expected?.Size is { } expectedSize && expectedSize != size)
        {
            return CopyOutcome.Failed(ImportErrorCodes.SizeMismatch,
                $"The image is {size} bytes, but {ScpHeaders.ImageSize} expected {expectedSize}; nothing was kept.");
        }

        if (expected?.Checksum is not { } checksum)
        {
            return null;
        }

        var actual = checksum.Algorithm switch
        {
            "md5" => md5,
            "sha512" => sha512,
            _ => sha256,
        };
        return actual == checksum.Digest
            ? null
            : CopyOutcome.Failed(ImportErrorCodes.ChecksumMismatch,
                $"The image's {checksum.Algorithm} is {actual}, but {ScpHeaders.ImageChecksum} expected {checksum.Digest}; nothing was kept.");
    }

    private async Task ReadAllAsync(
        Stream source, long? contentLength, long maxBytes, long? expectedSize, int stages, FailureSlot failure, Action<Chunk> publish,
        CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await _freeCount.WaitAsync(ct);
                _free.TryDequeue(out var chunk);
                var length = 0;
                int read;
                while (length < ChunkSize && (read = await source.ReadAsync(chunk!.Memory[length..], ct)) > 0)
                {
                    length += read;
                }

                if (length == 0)
                {
                    Return(chunk!);
                    break;
                }

                var total = Interlocked.Add(ref _bytesDone, length);
                if (total > maxBytes)
                {
                    failure.Set(ImportSourceCodes.SourceTooLarge, $"The image is larger than this service's limit of {maxBytes} bytes.");
                    Return(chunk!);
                    return;
                }

                // Stopped the moment it passes the size the client expects, not at the end.
                if (total > expectedSize)
                {
                    failure.Set(ImportErrorCodes.SizeMismatch,
                        $"The image is more than the {expectedSize} bytes {ScpHeaders.ImageSize} expected; nothing was kept.");
                    Return(chunk!);
                    return;
                }

                chunk!.Length = length;
                chunk.Pending = stages;
                publish(chunk);
            }

            if (contentLength is { } expected && BytesDone != expected)
            {
                failure.Set(ImportErrorCodes.LengthMismatch,
                    $"The source announced {expected} bytes but sent {BytesDone}; the download was incomplete or the object changed.");
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The failure slot already says why (refusal, lost lease, deletion, shutdown).
        }
        catch (SourceFailureException e)
        {
            failure.Set(e.Failure.Code, e.Failure.Detail);
        }
        catch (IOException)
        {
            failure.Set(ImportSourceCodes.SourceInterrupted, "The connection to the source broke before the whole image arrived.");
        }
        catch (HttpRequestException)
        {
            failure.Set(ImportSourceCodes.SourceInterrupted, "The connection to the source broke before the whole image arrived.");
        }
    }

    private void Consume(BlockingCollection<Chunk> chunks, Action<Chunk> work, FailureSlot failure, CancellationToken ct)
    {
        foreach (var chunk in chunks.GetConsumingEnumerable(CancellationToken.None))
        {
            if (!ct.IsCancellationRequested)
            {
                try
                {
                    work(chunk);
                }
                catch (CryptographicException)
                {
                    failure.Set(ImportErrorCodes.Internal, "The service could not hash the image.");
                }
            }

            Return(chunk);
        }
    }

    private void WriteAll(BlockingCollection<Chunk> chunks, IImageUpload upload, FailureSlot failure, CancellationToken ct)
    {
        foreach (var chunk in chunks.GetConsumingEnumerable(CancellationToken.None))
        {
            if (!ct.IsCancellationRequested)
            {
                try
                {
                    upload.WriteAsync(chunk.Memory[..chunk.Length], ct).AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                }
                catch (IOException)
                {
                    failure.Set(ImportErrorCodes.StorageFailed, "The service could not store the image; try again later.");
                }
            }

            Return(chunk);
        }
    }

    private void Return(Chunk chunk)
    {
        if (Interlocked.Decrement(ref chunk.Pending) <= 0)
        {
            chunk.Pending = 0;
            _free.Enqueue(chunk);
            _freeCount.Release();
        }
    }

    private sealed class Chunk(Memory<byte> memory)
    {
        public Memory<byte> Memory { get; } = memory;

        public int Length;

        public int Pending;

        public ReadOnlySpan<byte> Span => Memory.Span[..Length];

        // Page-aligned, so that a store may hand it to the disk as it is (O_DIRECT, FileSystemImageStore).
        public static Chunk Allocate() => new(LinuxFiles.AllocateAligned(ChunkSize));
    }

    public void Dispose()
    {
        _freeCount.Dispose();

        // Only buffers no stage can touch any more go back for the next import.
        foreach (var chunk in _stagesDone ? _owned : [])
        {
            if (Spare.Count < SpareLimit)
            {
                chunk.Length = 0;
                chunk.Pending = 0;
                Spare.Enqueue(chunk);
            }
        }

        _owned.Clear();
    }

    // The first failure wins and stops the other stages.
    private sealed class FailureSlot(CancellationTokenSource cancel)
    {
        private Failure? _value;

        public Failure? Value => Volatile.Read(ref _value);

        public void Set(string code, string detail)
        {
            Interlocked.CompareExchange(ref _value, new Failure(code, detail), null);
            cancel.Cancel();
        }
    }

    private sealed record Failure(string Code, string Detail);
}

// The staged data a take-over goes on from, to read back once: its first Length bytes are the image's.
internal sealed record StagedPrefix(Stream Content, long Length);

internal sealed record CopyOutcome(bool Success, long Size, string? Md5, string? Sha512, long VirtualSize, string? Code, string? Detail)
{
    public static CopyOutcome Succeeded(long size, string md5, string sha512, long virtualSize) =>
        new(true, size, md5, sha512, virtualSize, null, null);

    public static CopyOutcome Failed(string code, string detail) => new(false, 0, null, null, 0, code, detail);
}
