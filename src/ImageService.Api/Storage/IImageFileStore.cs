namespace ImageService.Api.Storage;

// Where image data lives: files below the data folder on one node, an S3 bucket for several.
internal interface IImageFileStore
{
    // Starts writing one import's data to a staging place; nothing is visible until CommitAsync.
    Task<IImageUpload> BeginUploadAsync(string imageId, long? expectedLength, CancellationToken ct);

    // Reopens the staging data a dead node left (after a take-over) to go on writing after its first
    // stagedBytes bytes, with those bytes to read back (to rebuild the hashes without fetching them
    // again); null when they cannot be read back, and the import starts over.
    Task<ResumedUpload?> ResumeUploadAsync(string imageId, string stagingKey, long stagedBytes, CancellationToken ct);

    // The stored data of an active image, or null when there is none.
    Task<StoredImageContent?> OpenAsync(string imageId, CancellationToken ct);

    Task DeleteAsync(string imageId, CancellationToken ct);

    // What the sweeper compares with the database after a crash.
    IAsyncEnumerable<StoredObject> ListStagingAsync(CancellationToken ct);

    IAsyncEnumerable<StoredObject> ListStoredAsync(CancellationToken ct);

    Task DeleteStagingAsync(string stagingKey, CancellationToken ct);
}

internal interface IImageUpload : IAsyncDisposable
{
    // Names the staging data, so that a sweep can find what a dead job left.
    string StagingKey { get; }

    // Called in order from one dedicated thread (ImportCopy's writer); it may block.
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct);

    // The prefix of the data that is durable and could be read back by a node taking the job over:
    // flushed to disk, or in parts the object store acknowledged. Read from another thread.
    long DurableBytes { get; }

    // Makes the data durable and puts it in place under the image's id.
    Task CommitAsync(CancellationToken ct);

    // Deletes whatever was written; safe to call more than once.
    Task AbortAsync();
}

// Upload goes on after the staged prefix of StagedBytes bytes; Staged reads that prefix back, once.
internal sealed record ResumedUpload(IImageUpload Upload, Stream Staged, long StagedBytes);

// Key: a staging key or an image id. ImageId: for staging objects, the image they were for.
internal sealed record StoredObject(string Key, string ImageId, DateTimeOffset LastModified);

// PhysicalPath lets the file store hand the file to the kernel (sendfile); other stores stream.
internal sealed record StoredImageContent(long Length, string? PhysicalPath, Func<long, long?, CancellationToken, Task<Stream>> OpenRangeAsync);
