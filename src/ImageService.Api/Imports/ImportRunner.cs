using ImageService.Api.Audit;
using ImageService.Api.Imports.Inspection;
using ImageService.Api.Imports.Sources;
using ImageService.Api.Observability;
using ImageService.Api.Quotas;
using ImageService.Api.Storage;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Imports;

// Runs one claimed job to its end: active with hashes, killed with a reason, or (on shutdown)
// back in the queue. Three steps: open the source, copy it into an upload, commit. A step that fails
// returns why, and RunAsync is the one place that turns it into a killed image; a failure ends the
// job, never the worker.
internal sealed partial class ImportRunner(
    IServiceScopeFactory scopes,
    ImportTakeover takeover,
    ImportSourcePolicy policy,
    IImageFileStore store,
    ImportCancellations cancellations,
    ImportMetrics metrics,
    QuotaMetrics quotaMetrics,
    IOptionsMonitor<ImportOptions> options,
    TimeProvider time,
    ILogger<ImportRunner> logger)
{
    // How often progress is written, which also renews the lease.
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    public Task RunAsync(ImportJob job, string node, CancellationToken stopping)
    {
        var worker = AuditTrail.Worker(job.AccountId);
        return RunAsync(job, node, (jobs, cancel) => ImportAsync(job, node, jobs, worker, cancel), worker, ImportMetrics.FromUrl, stopping);
    }

    // An upload (Uploads/): the client's request body in place of the source, from the first byte on
    // the same steps as an import, and the caller in the audit trail. Its job is already claimed by
    // this node. Finished is false when the upload stopped without an end of its own (the image was
    // deleted meanwhile); otherwise Failure is null when the image became active, or says why not.
    // Nothing but a delete stops it: a client that goes away fails the body's next read
    // (upload_interrupted), and so does a node that shuts down, since Kestrel then closes the connection.
    public async Task<(bool Finished, SourceFailure? Failure)> UploadAsync(ImportJob job, string node, Stream body, long? length, AuditActor caller) =>
        await RunAsync(job, node, (jobs, cancel) => StoreAsync(job, node, jobs, ImportContent.Of(body, length), caller, ImportMetrics.FromUpload, cancel),
            caller, ImportMetrics.FromUpload, CancellationToken.None);

    private async Task<(bool Finished, SourceFailure? Failure)> RunAsync(
        ImportJob job, string node, Func<ImportJobs, CancellationTokenSource, Task<SourceFailure?>> steps, AuditActor actor, string kind,
        CancellationToken stopping)
    {
        await using var scope = scopes.CreateAsyncScope();
        var jobs = scope.ServiceProvider.GetRequiredService<ImportJobs>();
        var cancel = cancellations.Register(job.ImageId, stopping);
        using var running = metrics.Start(kind);
        SourceFailure? failure;
        try
        {
            failure = await steps(jobs, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // Deleted, taken over, or shutting down; the upload is gone with its `await using`.
            if (stopping.IsCancellationRequested)
            {
                await jobs.ReleaseAsync(job, node, CancellationToken.None);
            }

            return (false, null);
        }
        catch (Exception e)
        {
            Log.ImportCrashed(logger, job.ImageId, e);
            failure = new SourceFailure(ImportErrorCodes.Internal,
                "The import failed inside the service; try it again, and report it if it keeps failing.");
        }
        finally
        {
            cancellations.Unregister(job.ImageId, cancel);
            cancel.Dispose();
        }

        if (failure is not null)
        {
            Log.ImportFailed(logger, job.ImageId, failure.Code);
            metrics.Failed(failure.Code, kind);
            if (failure.Code == QuotaErrors.Code)
            {
                quotaMetrics.Refused(QuotaMetrics.Bytes);
            }

            await jobs.FailAsync(job, node, failure.Code, failure.Detail, actor, CancellationToken.None);
        }

        return (true, failure);
    }

    private async Task<SourceFailure?> ImportAsync(ImportJob job, string node, ImportJobs jobs, AuditActor worker, CancellationTokenSource cancel)
    {
        await using var content = await KeepingLeaseAsync(job, node, jobs, () => OpenSourceAsync(job, cancel.Token), cancel);
        return content.IsOpen
            ? await StoreAsync(job, node, jobs, content, worker, ImportMetrics.FromUrl, cancel)
            : content.Failure;
    }

    // From the first byte of the content to the commit, whichever way the content comes: the quota,
    // the store's upload, the one pass and the commit.
    private async Task<SourceFailure?> StoreAsync(
        ImportJob job, string node, ImportJobs jobs, ImportContent content, AuditActor actor, string kind, CancellationTokenSource cancel)
    {
        var ct = cancel.Token;
        var allowance = await jobs.ReserveQuotaAsync(job, node, content.Length, ct);
        if (allowance.Refusal is { } overQuota)
        {
            return overQuota;
        }

        // Not cancelled: a multipart upload the object store created while the call was being
        // cancelled (a delete landing now) would be known to no one until the sweep. Once it is
        // owned below, the renewal's cancellation check aborts it.
        IImageUpload upload;
        try
        {
            upload = await content.BeginUploadAsync(store, job.ImageId, CancellationToken.None);
        }
        catch (IOException e)
        {
            return StorageFailure(job, e);
        }

        // Disposing an upload that was not committed deletes what it wrote, however this ends.
        await using (upload)
        {
            var progress = Progress(job, content, upload);
            if (!await jobs.RenewAsync(job, node, progress(0), ct))
            {
                await cancel.CancelAsync();
                ct.ThrowIfCancellationRequested();
            }

            var outcome = await CopyAsync(job, node, jobs, content, progress, allowance.Cap, upload, cancel);
            return outcome.Success
                ? await CommitAsync(job, node, jobs, upload, outcome, actor, kind, ct)
                : allowance.Failure(outcome);
        }
    }

    // Everything before the first byte: the attempt count, the policy, and a dead node's leftovers,
    // which the take-over goes on from when it can and removes otherwise.
    private async Task<ImportContent> OpenSourceAsync(ImportJob job, CancellationToken ct)
    {
        SourceFailure? refusal = job switch
        {
            // An upload's bytes came over a connection that went with the node that held its job.
            { Url.Length: 0 } => new(ImportErrorCodes.UploadInterrupted,
                "The node receiving the upload stopped before the whole image arrived; upload it again."),
            { Attempts: > ImportJobs.MaxAttempts } => new(ImportErrorCodes.Abandoned,
                $"The import was interrupted {ImportJobs.MaxAttempts} times (a node stopped while copying it); import it again."),
            _ => null,
        };

        // The policy is checked again at run time: the allowed sources may have changed since the job
        // was queued. The client refuses a Content-Length above Import:MaxImageBytes itself.
        if (refusal is null)
        {
            var verdict = policy.Check(job.Url);
            if (verdict.IsAllowed)
            {
                return await takeover.OpenAsync(job, verdict.Url, ct);
            }

            refusal = new(verdict.Code, verdict.Detail);
        }

        await takeover.DiscardAsync(job, ct);
        return ImportContent.Failed(refusal);
    }

    // A step before the copy keeps the lease as the copy's progress writes do: a take-over reading
    // back a dead node's staging data can take as long as copying it inside the object store, and a
    // lease that ran out meanwhile let a worker (this node's own included) claim the job again and
    // fetch the source once more.
    private async Task<T> KeepingLeaseAsync<T>(ImportJob job, string node, ImportJobs jobs, Func<Task<T>> step, CancellationTokenSource cancel)
    {
        var running = step();
        while (!running.IsCompleted)
        {
            await Task.WhenAny(running, Task.Delay(ProgressInterval, time, CancellationToken.None));
            if (!running.IsCompleted && !cancel.IsCancellationRequested && !await jobs.ExtendLeaseAsync(job, node, CancellationToken.None))
            {
                await cancel.CancelAsync();
            }
        }

        return await running;
    }

    // The progress write at a given count: the staged data's durable prefix and the source's
    // validator are what a node taking the job over would go on from.
    private static Func<long, ImportProgress> Progress(ImportJob job, ImportContent content, IImageUpload upload) =>
        bytesDone => new ImportProgress(
            bytesDone, content.Length, upload.StagingKey, upload.DurableBytes, content.Validator, job.Resumes + content.Resumes);

    // The one streaming pass, with a progress write every second that also renews the lease. When a
    // renewal finds the job gone (its image was deleted, or another node took it over) the copy stops
    // as it does for a delete on this node. However steady the source, the copy has a deadline, so
    // that no import holds a slot for ever (the source's minimum rate is SourceContentStream's).
    private async Task<CopyOutcome> CopyAsync(
        ImportJob job, string node, ImportJobs jobs, ImportContent content, Func<long, ImportProgress> progress, long cap,
        IImageUpload upload, CancellationTokenSource cancel)
    {
        var settings = options.CurrentValue;
        var ct = cancel.Token;
        using var copy = new ImportCopy();
        var inspector = new DiskImageInspector(settings.MaxVirtualSizeBytes);
        using var deadline = new CancellationTokenSource(settings.MaxImportDuration, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var copying = copy.RunAsync(
            content.Staged, content.Body!, content.Length, upload, inspector, cap, ExpectedDataHeaders.Of(job), stop.Token);
        try
        {
            while (!copying.IsCompleted)
            {
                await Task.WhenAny(copying, Task.Delay(ProgressInterval, time, ct));
                if (!copying.IsCompleted && !await jobs.RenewAsync(job, node, progress(copy.BytesDone), ct))
                {
                    await cancel.CancelAsync();
                }
            }
        }
        finally
        {
            // Leaving early (shutdown, or the database failing a renewal) must not leave the copy
            // running on buffers and an upload that are about to be disposed.
            if (!copying.IsCompleted)
            {
                await stop.CancelAsync();
                await ((Task)copying).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        // The last count of resumes (and bytes), which a copy shorter than a progress interval would
        // otherwise never write. It also renews the lease once more before the commit: a node whose
        // lease ran out while it copied (a loaded machine) learns it here and stops as for a lost
        // renewal, instead of putting its data in place under a job another node now holds.
        if (!ct.IsCancellationRequested && !await jobs.RenewAsync(job, node, progress(copy.BytesDone), ct))
        {
            await cancel.CancelAsync();
        }

        try
        {
            return await copying;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return CopyOutcome.Failed(ImportSourceCodes.SourceTooSlow,
                $"The import did not finish within {settings.MaxImportDuration} (Import:MaxImportDuration); "
                + "import it from a faster or less loaded object store.");
        }
    }

    // Once the data is in place under the image's id nothing may cancel this step: a delete that
    // lands between the commit and the success write must still find the data removed at once by the
    // import that put it there, not left for the sweep (docs/imports.md, "Delete, crashes, the sweep").
    private async Task<SourceFailure?> CommitAsync(
        ImportJob job, string node, ImportJobs jobs, IImageUpload upload, CopyOutcome outcome, AuditActor actor, string kind, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        try
        {
            await upload.CommitAsync(CancellationToken.None);
        }
        catch (IOException e)
        {
            return StorageFailure(job, e);
        }

        if (await jobs.SucceedAsync(job, node, outcome, actor, CancellationToken.None))
        {
            Log.ImportSucceeded(logger, job.ImageId, outcome.Size);
            metrics.Succeeded(job, outcome.Size, kind);
        }
        else if (!await jobs.ImageExistsAsync(job.ImageId, CancellationToken.None))
        {
            Log.DeletedWhileStoring(logger, job.ImageId);
            await store.DeleteAsync(job.ImageId, CancellationToken.None);
        }
        else
        {
            // The image is still there, so the job was taken over (this node's lease ran out while it
            // stored): the data under the image's id belongs to the holder, which may have made the
            // image active with it already. Deleting it here would leave an active image without data.
            Log.TakenOverWhileStoring(logger, job.ImageId);
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

        [LoggerMessage(5, LogLevel.Information, "Image {ImageId} was deleted while its data was being stored; the data is removed")]
        public static partial void DeletedWhileStoring(ILogger logger, string imageId);

        [LoggerMessage(6, LogLevel.Warning, "Image {ImageId} import was taken over while its data was being stored; the data is left to the new holder")]
        public static partial void TakenOverWhileStoring(ILogger logger, string imageId);
    }
}
