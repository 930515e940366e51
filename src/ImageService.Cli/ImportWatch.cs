using ImageService.Protocol;
using ImageService.Protocol.Images;
using ImageService.Protocol.Imports;

namespace ImageService.Cli;

// How to wait: the pause between checks, and when to give up (null: never).
internal sealed record ImportWait(TimeSpan Interval, TimeSpan? Timeout);

// The end of a wait: the image as last shown, and why the import failed (null on success).
internal sealed record WaitOutcome(ScpResponse<ImageShowResponseV1Dot2> Image, string? Failure);

// Follows an image until its import ends. The image's status decides (active: done; killed: failed);
// the import status, a service addition, adds the bytes and the failure's reason when the service
// offers it.
internal static class ImportWatch
{
    private const string Active = "active";
    private const string Killed = "killed";
    private const string ImportFailed = "failed";

    public static Task<WaitOutcome> WaitAsync(Invocation call, string imageId, ImportWait wait) =>
        ProgressDisplay.RunAsync(call.Context, $"image {imageId}", report => PollAsync(call, imageId, wait, report));

    // Prints the image on stdout and the reason of a failure on stderr; the exit code says which.
    // Ctrl+C stops the wait, never the import: the service goes on, and the message says how to
    // follow it again.
    public static async Task<int> WaitAndReportAsync(Invocation call, string imageId, ImportWait wait)
    {
        WaitOutcome outcome;
        try
        {
            outcome = await WaitAsync(call, imageId, wait);
        }
        catch (OperationCanceledException) when (call.Cancellation.IsCancellationRequested)
        {
            await call.Context.Error.WriteLineAsync(
                $"Stopped waiting. The import of image {imageId} goes on in the service; follow it again with: imagectl images wait {imageId}");
            return ExitCodes.Interrupted;
        }

        call.Output.Write(outcome.Image, Tables.Fields);
        if (outcome.Failure is null)
        {
            return ExitCodes.Ok;
        }

        var error = call.Context.Error;
        await error.WriteLineAsync($"error: the import of image {imageId} failed: {outcome.Failure}");
        await error.WriteLineAsync(
            $"hint: image {imageId} remains, with status {outcome.Image.Value.Status} and no data. Import it again with: " +
            $"imagectl images import {imageId} --url URL --wait, or delete it with: imagectl images delete {imageId}");
        return ExitCodes.ImportFailed;
    }

    private static async Task<WaitOutcome> PollAsync(Invocation call, string imageId, ImportWait wait, Action<ProgressStep> report)
    {
        var time = call.Context.Time;
        var started = time.GetTimestamp();
        while (true)
        {
            // The image first: the service ends an import and its image in one transaction, so an
            // import status read after an active or killed image has the final bytes and reason.
            var image = await call.Client.ShowImageAsync(imageId, call.Cancellation);
            var import = await TryShowImportAsync(call, imageId);
            var status = image.Value.Status;
            report(new ProgressStep(status, import?.BytesDone ?? image.Value.Size ?? 0, import?.BytesTotal ?? image.Value.Size));
            if (status == Active)
            {
                return new WaitOutcome(image, null);
            }

            if (status == Killed || import?.State == ImportFailed)
            {
                // A failed import read after an image that still said importing: the service killed
                // the image in the same commit, so one more read shows its final state.
                if (status != Killed)
                {
                    image = await call.Client.ShowImageAsync(imageId, call.Cancellation);
                    status = image.Value.Status;
                }

                return new WaitOutcome(image, import?.Error?.Detail ?? $"the image's status is {status}.");
            }

            if (wait.Timeout is { } timeout && time.GetElapsedTime(started) >= timeout)
            {
                // Not an import failure: the import goes on, and a later `images wait` can follow it.
                throw new CliException(ExitCodes.Failure,
                    $"Gave up waiting after {timeout.TotalSeconds:0.#} s; image {imageId} is still {status}. Follow it with: imagectl images wait {imageId}");
            }

            await Task.Delay(wait.Interval, time, call.Cancellation);
        }
    }

    // A service without the import-status addition answers 404 for it; the image's status still tells the end.
    private static async Task<ImportStatusResponse?> TryShowImportAsync(Invocation call, string imageId)
    {
        try
        {
            return (await call.Client.ShowImageImportAsync(imageId, call.Cancellation)).Value;
        }
        catch (ScpApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
