using System.Runtime.CompilerServices;
using ImageService.Api.Data;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace ImageService.Api.Storage;

// Image data as files below the data folder: staging/<image>.<random>.part while it streams in,
// images/<image> once committed. Both are on one file system, so the commit is a rename.
internal sealed class FileSystemImageStore : IImageFileStore
{
    private const string PartSuffix = ".part";
    private readonly string _images;
    private readonly string _staging;
    private readonly long _flushInterval;

    public FileSystemImageStore(IOptions<DatabaseOptions> data, IOptions<StorageOptions> storage)
    {
        _images = Path.Combine(data.Value.FullDirectory, "images");
        _staging = Path.Combine(data.Value.FullDirectory, "staging");
        _flushInterval = storage.Value.FlushIntervalBytes;
        Directory.CreateDirectory(_images);
        Directory.CreateDirectory(_staging);
    }

    public Task<IImageUpload> BeginUploadAsync(string imageId, long? expectedLength, CancellationToken ct)
    {
        var key = $"{imageId}.{Guid.NewGuid():N}{PartSuffix}";
        var path = Path.Combine(_staging, key);

        // Preallocating a length the source announced keeps the file contiguous; a wrong announcement
        // fails the import anyway.
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, FileOptions.None,
            expectedLength is > 0 and < (1L << 40) ? expectedLength.Value : 0);
        return Task.FromResult<IImageUpload>(new Upload(this, key, path, Path.Combine(_images, imageId), handle, _flushInterval));
    }

    // The staged file is cut to its durable prefix (what was written after the last flush may not
    // have reached the disk) and writing goes on from there.
    public Task<ResumedUpload?> ResumeUploadAsync(string imageId, string stagingKey, long stagedBytes, CancellationToken ct)
    {
        var path = Path.Combine(_staging, stagingKey);
        if (!IsPlainName(stagingKey) || !stagingKey.StartsWith(imageId + ".", StringComparison.Ordinal)
            || !File.Exists(path) || new FileInfo(path).Length < stagedBytes)
        {
            return Task.FromResult<ResumedUpload?>(null);
        }

        // A writer that is still alive (a node that lost its lease but not its process) holds the file
        // with FileShare.None, which .NET enforces with an exclusive flock: opening it then fails
        // (IOException), and the import starts over rather than share the file with that writer.
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        string? renamed = null;
        try
        {
            // The file takes a name of its own for this attempt: a run that lost the lease without
            // noticing yet deletes its own name when it stops, which must not be the file this one
            // goes on writing (that left a committing take-over without its file: storage_failed).
            var key = $"{imageId}.{Guid.NewGuid():N}{PartSuffix}";
            renamed = Path.Combine(_staging, key);
            File.Move(path, renamed);
            RandomAccess.SetLength(handle, stagedBytes);
            var staged = new FileStream(renamed, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            var upload = new Upload(this, key, renamed, Path.Combine(_images, imageId), handle, _flushInterval, stagedBytes);
            return Task.FromResult<ResumedUpload?>(new ResumedUpload(upload, staged, stagedBytes));
        }
        catch
        {
            handle.Dispose();
            if (renamed is not null)
            {
                File.Delete(renamed);
            }

            throw;
        }
    }

    public Task<StoredImageContent?> OpenAsync(string imageId, CancellationToken ct)
    {
        var path = ImagePath(imageId);
        var info = path is null ? null : new FileInfo(path);
        if (path is null || info is not { Exists: true })
        {
            return Task.FromResult<StoredImageContent?>(null);
        }

        return Task.FromResult<StoredImageContent?>(new StoredImageContent(info.Length, path, (offset, length, _) =>
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            stream.Seek(offset, SeekOrigin.Begin);
            return Task.FromResult<Stream>(stream);
        }));
    }

    public Task DeleteAsync(string imageId, CancellationToken ct)
    {
        if (ImagePath(imageId) is { } path)
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<StoredObject> ListStagingAsync([EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var file in new DirectoryInfo(_staging).EnumerateFiles("*" + PartSuffix))
        {
            ct.ThrowIfCancellationRequested();
            var imageId = file.Name[..file.Name.IndexOf('.', StringComparison.Ordinal)];
            yield return new StoredObject(file.Name, imageId, file.LastWriteTimeUtc);
        }

        await Task.CompletedTask;
    }

    public async IAsyncEnumerable<StoredObject> ListStoredAsync([EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var file in new DirectoryInfo(_images).EnumerateFiles())
        {
            ct.ThrowIfCancellationRequested();
            yield return new StoredObject(file.Name, file.Name, file.LastWriteTimeUtc);
        }

        await Task.CompletedTask;
    }

    public Task DeleteStagingAsync(string stagingKey, CancellationToken ct)
    {
        if (IsPlainName(stagingKey))
        {
            File.Delete(Path.Combine(_staging, stagingKey));
        }

        return Task.CompletedTask;
    }

    // Image ids come from URLs: only a plain file name may ever reach the file system.
    private string? ImagePath(string imageId) => IsPlainName(imageId) ? Path.Combine(_images, imageId) : null;

    private static bool IsPlainName(string name) =>
        name.Length is > 0 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.') && !name.StartsWith('.');

    private sealed class Upload(
        FileSystemImageStore store, string key, string path, string finalPath, SafeFileHandle handle, long flushInterval, long written = 0)
        : IImageUpload
    {
        // Whole aligned buffers go straight from the import's buffers to the disk: no copy into the
        // page cache (on a 2-core VM that copy cost as much CPU as MD5), no dirty pages for the
        // flushes to wait on, and no image data pushing everything else out of the cache. The
        // unaligned tail, and everything on file systems without direct I/O, goes through the cache.
        private readonly SafeFileHandle? _direct = LinuxFiles.OpenForDirectWrite(path);
        private long _written = written;
        private long _durable = written;
        private long _unflushed;
        private bool _done;

        public string StagingKey => key;

        public long DurableBytes => Interlocked.Read(ref _durable);

        // The copy calls this from a thread of its own (ImportCopy), so a plain blocking write is the
        // cheapest: the asynchronous form would only move the same blocking call to a pool thread.
        public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
        {
            var direct = _direct is not null && LinuxFiles.IsDirectAligned(data.Span, _written);
            RandomAccess.Write(direct ? _direct! : handle, data.Span, _written);
            _written += data.Length;
            _unflushed += data.Length;
            if (_unflushed >= flushInterval)
            {
                RandomAccess.FlushToDisk(handle);
                _unflushed = 0;
                Interlocked.Exchange(ref _durable, _written);
            }

            return ValueTask.CompletedTask;
        }

        public Task CommitAsync(CancellationToken ct)
        {
            // fsync flushes the file, whichever handle wrote which part of it.
            RandomAccess.FlushToDisk(handle);
            _direct?.Dispose();
            handle.Dispose();
            File.Move(path, finalPath, overwrite: false);
            LinuxFiles.FlushDirectory(store._images);
            LinuxFiles.FlushDirectory(store._staging);
            _done = true;
            return Task.CompletedTask;
        }

        public Task AbortAsync()
        {
            if (!_done)
            {
                _direct?.Dispose();
                handle.Dispose();
                File.Delete(path);
                _done = true;
            }

            return Task.CompletedTask;
        }

        public async ValueTask DisposeAsync() => await AbortAsync();
    }
}
