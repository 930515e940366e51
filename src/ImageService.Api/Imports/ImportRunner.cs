using ImageService.Api.Imports.Inspection;
using ImageService.Api.Imports.Sources;
using ImageService.Api.Observability;
using ImageService.Api.Storage;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Imports;

// Runs one claimed job to its end: active with hashes, killed with a reason, or (on shutdown)
// back in the queue. A failure ends the job, never the worker, and is recorded on the job row.
internal sealed partial class ImportRunner(
    IServiceScopeFactory scopes,
    ObjectStorageClient source,
    ImportSourcePolicy policy,
    IImageFileStore store,
    ImportCancellations cancellations,
    ImportMetrics metrics,
    IOptionsMonitor<ImportOptions> options,
    TimeProvider time,
    ILogger<ImportRunner> logger)
{
    // How often progress is written, which also renews the lease.
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public async Task RunAsync(ImportJob job, string node, CancellationToken stopping)
    {
        await using var scope = scopes.CreateAsyncScope();
        var jobs = scope.ServiceProvider.GetRequiredService<ImportJobs>();
        var cancel = cancellations.Register(job.ImageId, stopping);
        using var running = metrics.Start();
        IImageUpload? upload = null;
        try
        {
            var failure = await CopyAsync(job, node, jobs, u => upload = u, cancel.Token);
            if (failure is { } f)
            {
                if (upload is not null)
                {
                    await upload.AbortAsync();
                }

                Log.ImportFailed(logger, job.ImageId, f.Code);
                metrics.Failed(f.Code);
                await jobs.FailAsync(job.Id, job.ImageId, node, f.Code, f.Detail, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            if (upload is not null)
            {
                await upload.AbortAsync();
            }

            if (stopping.IsCancellationRequested)
            {
                await jobs.ReleaseAsync(job, node, CancellationToken.None);
            }
        }
        catch (Exception e)
        {
            if (upload is not null)
            {
                await upload.AbortAsync();
            }

            Log.ImportCrashed(logger, job.ImageId, e);
            metrics.Failed(ImportErrorCodes.Internal);
            await jobs.FailAsync(job.Id, job.ImageId, node, ImportErrorCodes.Internal,
                "The import failed inside the service; try it again, and report it if it keeps failing.", CancellationToken.None);
        }
        finally
        {
            cancellations.Unregister(job.ImageId, cancel);
            cancel.Dispose();
        }
    }

    private async Task<SourceFailure?> CopyAsync(ImportJob job, string node, ImportJobs jobs, Action<IImageUpload> started, CancellationToken ct)
    {
        var settings = options.CurrentValue;

        // A job taken over from a node that died still names that node's staging data (a partial
        // file, or a multipart upload): remove it now, not at the next sweep, whether the job goes
        // on or is given up.
        if (job.StagingKey is { } abandoned)
        {
            await store.DeleteStagingAsync(abandoned, ct);
        }

        if (job.Attempts > ImportJobs.MaxAttempts)
        {
            return new SourceFailure(ImportErrorCodes.Abandoned,
                $"The import was interrupted {ImportJobs.MaxAttempts} times (a node stopped while copying it); import it again.");
        }

        // Checked again at run time: the allowed sources may have changed since the job was queued.
        var verdict = policy.Check(job.Url);
        if (!verdict.IsAllowed)
        {
            return new SourceFailure(verdict.Code, verdict.Detail);
        }

        await using var response = await source.OpenAsync(verdict.Url, ct);
        if (!response.IsOpen)
        {
            return response.Failure;
        }

        if (response.ContentLength > settings.MaxImageBytes)
        {
            return new SourceFailure(ImportErrorCodes.TooLarge,
                $"The source announced {response.ContentLength} bytes, more than this service's limit of {settings.MaxImageBytes}.");
        }

        IImageUpload upload;
        try
        {
            upload = await store.BeginUploadAsync(job.ImageId, response.ContentLength, ct);
        }
        catch (IOException e)
        {
            return StorageFailure(job, e);
        }

        started(upload);
        if (!await jobs.RenewAsync(job, node, 0, response.ContentLength, upload.StagingKey, ct))
        {
            throw new OperationCanceledException(ct);
        }

        using var copy = new ImportCopy();
        var inspector = new DiskImageInspector(settings.MaxVirtualSizeBytes);
        using var lost = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var copying = copy.RunAsync(response.Content, response.ContentLength, upload, inspector, settings.MaxImageBytes, lost.Token);
        try
        {
            while (!copying.IsCompleted)
            {
                await Task.WhenAny(copying, Task.Delay(ProgressInterval, time, ct));
                if (!copying.IsCompleted && !await jobs.RenewAsync(job, node, copy.BytesDone, response.ContentLength, upload.StagingKey, ct))
                {
                    // The image was deleted (its job went with it) or another node took the job over.
                    await lost.CancelAsync();
                }
            }
        }
        finally
        {
            // Leaving early (shutdown, or the database failing a renewal) must not leave the copy
            // running on buffers and an upload that are about to be disposed.
            if (!copying.IsCompleted)
            {
                await lost.CancelAsync();
                await ((Task)copying).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        var outcome = await copying;
        if (!outcome.Success)
        {
            return new SourceFailure(outcome.Code!, outcome.Detail!);
        }

        try
        {
            await upload.CommitAsync(ct);
        }
        catch (IOException e)
        {
            return StorageFailure(job, e);
        }

        if (!await jobs.SucceedAsync(job, node, outcome, ct))
        {
            // Deleted while the last bytes were written: the data must not outlive its image.
            await store.DeleteAsync(job.ImageId, CancellationToken.None);
        }
        else
        {
            Log.ImportSucceeded(logger, job.ImageId, outcome.Size);
            metrics.Succeeded(job, outcome.Size);
        }

        return null;
    }

    // A full disk or an object store that fails: the client learns only that storing failed; the
    // store's own error goes to the log.
    private SourceFailure StorageFailure(ImportJob job, IOException exception)
    {
        Log.StorageFailed(logger, job.ImageId, exception);
        return new SourceFailure(ImportErrorCodes.StorageFailed, "The service could not store the image; try again later.");
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Image {ImageId} imported: {Size} bytes")]
        public static partial void ImportSucceeded(ILogger logger, string imageId, long size);

        [LoggerMessage(2, LogLevel.Warning, "Image {ImageId} import failed: {Code}")]
        public static partial void ImportFailed(ILogger logger, string imageId, string code);

        [LoggerMessage(3, LogLevel.Error, "Image {ImageId} import crashed")]
        public static partial void ImportCrashed(ILogger logger, string imageId, Exception exception);

        [LoggerMessage(4, LogLevel.Error, "Image {ImageId} could not be stored")]
        public static partial void StorageFailed(ILogger logger, string imageId, Exception exception);
    }
}
