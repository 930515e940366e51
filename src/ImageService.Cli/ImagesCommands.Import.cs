using System.CommandLine;
using ImageService.Protocol;
using ImageService.Protocol.Images;

namespace ImageService.Cli;

// `images import`, `images create --file`, `images wait` and `images download`: the commands that move an image's bytes.
internal static partial class ImagesCommands
{
    private static CliCommand Import(Cli cli)
    {
        var id = ImageId();
        var url = new Option<string>("--url") { Description = "The Object Storage URL of a .qcow2 file.", Required = true };
        var wait = new Option<bool>("--wait") { Description = "Follow the import until the image is active (exit 0) or the import failed (exit 7)." };
        var waiting = new WaitOptions();
        var expected = new ExpectedDataOptions();
        var command = new CliCommand("import", "Import an image's data from a URL; the service works in the background (importImage).",
            "imagectl images import 1bea47ed-f6a9-463b-b423-14b9cca9ad27 --url https://object-store.example.com/bucket/noble.qcow2 --wait",
            "imagectl images import 1bea47ed-f6a9-463b-b423-14b9cca9ad27 --url https://…/noble.qcow2 --checksum sha256:… --size 612368384")
        {
            id, url, wait, waiting.Interval, waiting.Timeout,
        };
        foreach (var option in expected.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(cli.Run(async call =>
        {
            var imageId = call.Get(id);
            var source = call.Get(url) ?? "";
            await call.Client.ImportImageAsync(imageId, new ImageImportRequest(source), expected.Read(call, ExpectedDataOptions.FileNameOf(source)),
                call.Cancellation);
            if (call.Get(wait))
            {
                return await ImportWatch.WaitAndReportAsync(call, imageId, waiting.Read(call));
            }

            call.Output.Message($"Import of image {imageId} accepted; follow it with: imagectl images wait {imageId}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    // images create --file: the image without data, then its bytes with the progress bar. The upload
    // answers once the image is active, so there is nothing to wait for after it.
    private static async Task<int> UploadAsync(Invocation call, ImageCreateRequest request, string path, ExpectedImageData? expected)
    {
        await using var stream = OpenForUpload(path);
        var created = await call.Client.CreateImageForUploadAsync(request, call.Cancellation);
        var imageId = created.Value.Id;
        try
        {
            await ProgressDisplay.RunAsync(call.Context, $"image {imageId}", async report =>
            {
                await call.UploadClient.UploadImageFileAsync(imageId, stream, expected, new Reporter(report, "uploading"), call.Cancellation);
                return true;
            });
        }
        catch (ScpApiException)
        {
            // The image exists, killed or still queued: say which one, so that it can be deleted.
            call.Context.Error.WriteLine($"Image {imageId} was created but has no data; delete it with: imagectl images delete {imageId}");
            throw;
        }

        call.Output.Write(await call.Client.ShowImageAsync(imageId, call.Cancellation), Tables.Fields);
        return ExitCodes.Ok;
    }

    private static FileStream OpenForUpload(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"--file {path}: {e.Message}");
        }
    }

    private static CliCommand Wait(Cli cli)
    {
        var id = ImageId();
        var waiting = new WaitOptions();
        var command = new CliCommand("wait", "Follow an image's import until it is active (exit 0) or failed (exit 7, with the reason on stderr).",
            "imagectl images wait 1bea47ed-f6a9-463b-b423-14b9cca9ad27",
            "imagectl images wait 1bea47ed-f6a9-463b-b423-14b9cca9ad27 --interval 10 --timeout 1800 && echo ready")
        {
            id, waiting.Interval, waiting.Timeout,
        };
        command.SetAction(cli.Run(call => ImportWatch.WaitAndReportAsync(call, call.Get(id), waiting.Read(call))));
        return command;
    }

    private static CliCommand Download(Cli cli)
    {
        var id = ImageId();
        var file = new Option<string?>("--output-file", "-o") { Description = "Where to write the bytes (default: <image-id>.qcow2 in the current folder)." };
        var force = new Option<bool>("--force") { Description = "Replace the file if it exists." };
        var command = new CliCommand("download", "Download an image's bytes, checked against the service's MD5, to a file; an existing file is kept unless --force.",
            "imagectl images download 1bea47ed-f6a9-463b-b423-14b9cca9ad27 -o ubuntu-24.qcow2") { id, file, force };
        command.SetAction(cli.Run(async call =>
        {
            var imageId = call.Get(id);
            var target = Path.GetFullPath(call.Get(file) ?? $"{imageId}.qcow2");
            var replace = call.Get(force);
            if (!replace && Path.Exists(target))
            {
                throw new CliException(ExitCodes.Failure, $"{target} exists; choose another file with -o, or replace it with --force.");
            }

            // Written to a file of its own beside the target and renamed at the end, so a failed
            // download never leaves a file that looks complete, and two downloads never mix.
            var partial = $"{target}.{Guid.NewGuid():N}.partial";
            ImageFileDownload download;
            try
            {
                await using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
                {
                    download = await ProgressDisplay.RunAsync(call.Context, $"image {imageId}", report =>
                        call.Client.DownloadImageFileAsync(imageId, stream, new Reporter(report, "downloading"), call.Cancellation));
                }

                File.Move(partial, target, overwrite: replace);
            }
            catch
            {
                File.Delete(partial);
                throw;
            }

            call.Output.Message($"Downloaded image {imageId} to {target}: {Tables.Bytes(download.Bytes)} ({download.Bytes} bytes), MD5 {download.Md5}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    // --interval and --timeout, for every command that can wait for an import.
    private sealed class WaitOptions
    {
        public Option<double> Interval { get; } = new("--interval") { Description = "Seconds between checks while waiting.", DefaultValueFactory = _ => 2 };

        public Option<double?> Timeout { get; } = new("--timeout")
        {
            Description = "Give up waiting after this many seconds (exit 1); the import itself goes on.",
        };

        public ImportWait Read(Invocation call) => new(Seconds(call.Get(Interval)), call.Get(Timeout) is { } timeout ? Seconds(timeout) : null);

        private static TimeSpan Seconds(double seconds) => TimeSpan.FromSeconds(Math.Max(0, seconds));
    }

    // Synchronous on the transferring thread: Progress<T> would post reports out of order.
    private sealed class Reporter(Action<ProgressStep> report, string stage) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value) => report(new ProgressStep(stage, value.BytesDone, value.BytesTotal));
    }
}
