using ImageService.Api.Imports.Sources;
using ImageService.Api.Storage;

namespace ImageService.Api.Imports;

// The open step of a job taken over from a node that died: instead of downloading everything again,
// it goes on from the data that node staged when the job recorded a durable prefix and the source's
// validator, the store can read that prefix back (to rebuild the hashes and the inspector's state
// without writing it again), and the source still has the same version (Range + If-Range). In every
// other case, and whenever going on fails, the dead node's staging data is removed here, before the
// import starts over or fails: a take-over leaves nothing of it behind.
internal sealed class ImportTakeover(IImageFileStore store, SourceDownloads downloads)
{
    public async Task<ImportContent> OpenAsync(ImportJob job, Uri url, CancellationToken ct)
    {
        if (job.StagingKey is not { } stagingKey)
        {
            return ImportContent.From(await downloads.OpenAsync(url, ct));
        }

        if (job is { StagedBytes: > 0 and var stagedBytes, SourceValidator: { } validator, BytesTotal: { } total } && stagedBytes < total
            && await TryReopenAsync(job.ImageId, stagingKey, stagedBytes, ct) is { } resumed)
        {
            var rest = await OpenRestAsync(url, resumed, stagedBytes, total, validator, ct);
            if (rest.IsOpen)
            {
                return ImportContent.From(rest, resumed);
            }

            if (rest.Failure.Code != ImportSourceCodes.SourceChanged)
            {
                return ImportContent.From(rest);
            }
        }
        else
        {
            await DiscardAsync(job, ct);
        }

        return ImportContent.From(await downloads.OpenAsync(url, ct));
    }

    // Removes what the node before left for this job, when the job does not go on from it: the
    // staging data it recorded, and whatever lies under the image's own key (the prefix object of a
    // take-over on S3 that failed half-way, or data a node that lost its lease put in place). The
    // image is not active, or its job would not be running, so nothing there is anyone's.
    public async Task DiscardAsync(ImportJob job, CancellationToken ct)
    {
        if (job.StagingKey is { } stagingKey)
        {
            await store.DeleteStagingAsync(stagingKey, ct);
            await store.DeleteAsync(job.ImageId, ct);
        }
    }

    // However the rest fails to open, cancellation included, the reopened upload goes with it.
    private async Task<SourceResponse> OpenRestAsync(
        Uri url, ResumedUpload resumed, long offset, long total, string validator, CancellationToken ct)
    {
        SourceResponse rest;
        try
        {
            rest = await downloads.OpenFromAsync(url, offset, total, validator, ct);
            if (rest.IsOpen)
            {
                return rest;
            }
        }
        catch
        {
            await DiscardAsync(resumed);
            throw;
        }

        await DiscardAsync(resumed);
        return rest;
    }

    // Disposing the reopened upload deletes the staged data (and, on S3, the prefix object it made).
    private static async Task DiscardAsync(ResumedUpload resumed)
    {
        await resumed.Staged.DisposeAsync();
        await resumed.Upload.DisposeAsync();
    }

    // A store that fails here (or a staged file still held by a node that is not dead after all,
    // FileSystemImageStore) means starting over. Whatever the store did before it failed (on S3 the
    // dead upload may be completed already) it removes with the staging key (DeleteStagingAsync).
    private async Task<ResumedUpload?> TryReopenAsync(string imageId, string stagingKey, long stagedBytes, CancellationToken ct)
    {
        try
        {
            return await store.ResumeUploadAsync(imageId, stagingKey, stagedBytes, ct);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
