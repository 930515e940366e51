using ImageService.Api.Imports.Sources;
using ImageService.Api.Storage;

namespace ImageService.Api.Imports;

// Opens a job's source, and when the job was taken over from a node that died, goes on from the data
// that node staged instead of downloading it again: when the job recorded the source's validator and
// a durable prefix, the store can read that prefix back (to rebuild the hashes and the inspector's
// state without writing it again), and the source still has the same version (Range + If-Range).
// When the source changed, the staged data goes and the import starts over cleanly; when the prefix
// cannot be read back, likewise.
internal sealed class ImportTakeover(IImageFileStore store, SourceDownloads downloads)
{
    public async Task<(SourceResponse Response, ResumedUpload? Resumed)> OpenAsync(ImportJob job, Uri url, CancellationToken ct)
    {
        if (job.StagingKey is not { } stagingKey)
        {
            return (await downloads.OpenAsync(url, ct), null);
        }

        if (job is { StagedBytes: > 0 and var stagedBytes, SourceValidator: { } validator, BytesTotal: { } total } && stagedBytes < total
            && await TryReopenAsync(job.ImageId, stagingKey, stagedBytes, ct) is { } resumed)
        {
            var rest = await downloads.OpenFromAsync(url, stagedBytes, total, validator, ct);
            if (rest.IsOpen)
            {
                return (rest, resumed);
            }

            // Disposing the reopened upload deletes the staged data.
            await resumed.Staged.DisposeAsync();
            await resumed.Upload.DisposeAsync();
            if (rest.Failure.Code != ImportSourceCodes.SourceChanged)
            {
                return (rest, null);
            }
        }
        else
        {
            await store.DeleteStagingAsync(stagingKey, ct);
        }

        return (await downloads.OpenAsync(url, ct), null);
    }

    // A store that fails here (or a staged file still locked by a node that is not dead after all,
    // FileSystemImageStore) means starting over, as before take-overs resumed.
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
