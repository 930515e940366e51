using System.CommandLine;
using System.Text.Json;
using ImageService.Protocol.Images;

namespace ImageService.Cli;

// `imagectl images …`: one subcommand per image operation (import, wait and download are in
// ImagesCommands.Import.cs).
internal static partial class ImagesCommands
{
    public static Command Create(Cli cli) => new CliCommand("images", "Create, list, show, update, delete, import, download and share images.",
        "imagectl images list",
        "imagectl images create --name ubuntu-24 --os-distro ubuntu --url https://…/noble.qcow2 --wait")
    {
        List(cli), Show(cli), CreateImage(cli), Update(cli), Delete(cli), Import(cli), Wait(cli), Download(cli), Share(cli),
    };

    private static CliCommand List(Cli cli)
    {
        var limit = new Option<int?>("--limit") { Description = "Images per page, 1 to 1000 (the service's default is 20; with --all, 1000)." };
        var marker = new Option<string?>("--marker") { Description = "Start after this image id: the last id of the previous page." };
        var sort = new Option<string?>("--sort") { Description = "key[:asc|desc],… over name, status, size, created_at, updated_at, id (default created_at:desc)." };
        var name = new Option<string?>("--name") { Description = "Only images with exactly this name." };
        var status = new Option<string?>("--status") { Description = "Only images in this status: queued, importing, active or killed." };
        var visibility = new Option<string?>("--visibility") { Description = "Only images with this visibility." };
        visibility.AcceptOnlyFromAmong("public", "community", "shared", "private");
        var osDistro = new Option<string?>("--os-distro") { Description = "Only images of this OS distribution." };
        var imageType = new Option<string?>("--scp-image-type") { Description = "Only images of this image type (custom for images created here)." };
        var originalType = new Option<string?>("--scp-original-image-type") { Description = "Only images made from this original image type." };
        var all = new Option<bool>("--all") { Description = "Follow the markers to the last page; JSON output is then {\"images\":[…]} with every image as the service sent it." };
        var command = new CliCommand("list", "List the images you own or have accepted (listImages).",
            "imagectl images list --status active --sort name:asc",
            "imagectl images list --limit 50 --marker 1bea47ed-f6a9-463b-b423-14b9cca9ad27",
            "imagectl images list --all --output json | jq -r '.images[].name'")
        {
            limit, marker, sort, name, status, visibility, osDistro, imageType, originalType, all,
        };
        command.SetAction(cli.Run(async call =>
        {
            var filter = new ImageListFilter
            {
                Limit = call.Get(limit),
                Marker = call.Get(marker),
                Sort = call.Get(sort),
                Name = call.Get(name),
                Status = call.Get(status),
                Visibility = call.Get(visibility),
                OsDistro = call.Get(osDistro),
                ScpImageType = call.Get(imageType),
                ScpOriginalImageType = call.Get(originalType),
            };
            if (!call.Get(all))
            {
                call.Output.Write(await call.Client.ListImagesAsync(filter, call.Cancellation), Tables.Rows("images", Tables.ImageColumns));
                return ExitCodes.Ok;
            }

            var pages = new List<string>();
            await foreach (var page in call.Client.ListImagePagesAsync(filter with { Limit = filter.Limit ?? 1000 }, call.Cancellation))
            {
                pages.Add(page.Json);
            }

            call.Output.Write(MergePages(pages), Tables.Rows("images", Tables.ImageColumns));
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static CliCommand Show(Cli cli)
    {
        var id = ImageId();
        var command = new CliCommand("show", "Show one image, every field the service sends (showImage).",
            "imagectl images show 1bea47ed-f6a9-463b-b423-14b9cca9ad27",
            "imagectl images show 1bea47ed-f6a9-463b-b423-14b9cca9ad27 --output json | jq -r .status") { id };
        command.SetAction(cli.Run(async call =>
        {
            call.Output.Write(await call.Client.ShowImageAsync(call.Get(id), call.Cancellation), Tables.Fields);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static CliCommand CreateImage(Cli cli)
    {
        var name = new Option<string>("--name") { Description = "1 to 255 of letters, digits, '-', '_' and space.", Required = true };
        var osDistro = new Option<string>("--os-distro")
        {
            Description = $"{string.Join(", ", ImageFieldRules.OsDistros(1, 3))} (and sles in 1.0).",
            Required = true,
        };
        osDistro.CompletionSources.Add([.. ImageFieldRules.OsDistros(1, 0)]);
        var url = new Option<string?>("--url") { Description = "The Object Storage URL of a .qcow2 file to import (or --file)." };
        var file = new Option<string?>("--file") { Description = "A local .qcow2 file to upload instead of --url (an extension: createImageForUpload, uploadImageFile)." };
        var expected = new ExpectedDataOptions();
        var minDisk = new Option<int?>("--min-disk") { Description = "Minimum disk in GB." };
        var minRam = new Option<int?>("--min-ram") { Description = "Minimum RAM in MB, 0 to 2097151." };
        var isProtected = new Option<bool?>("--protected") { Description = "Refuse deletion until unprotected." };
        var visibility = Visibility();
        var tags = new Option<string[]>("--tag") { Description = "A tag as key=value (or key); repeat for more." };
        var containerFormat = new Option<string?>("--container-format") { Description = "bare (the default)." };
        var diskFormat = new Option<string?>("--disk-format") { Description = "qcow2 (the default)." };
        var wait = new Option<bool>("--wait") { Description = "Follow the import until the image is active (exit 0) or the import failed (exit 7)." };
        var waiting = new WaitOptions();
        var command = new CliCommand("create",
            "Create an image whose data the service imports from a URL (createImage), or that you upload from a local file (--file).",
            "imagectl images create --name ubuntu-24 --os-distro ubuntu --url https://object-store.example.com/bucket/noble.qcow2",
            "imagectl images create --name web --os-distro rocky --url https://…/web.qcow2 --tag team=web --min-disk 20 --wait",
            "imagectl images create --name noble --os-distro ubuntu --url https://…/noble.qcow2 --checksum-file SHA256SUMS --wait",
            "imagectl images create --name local --os-distro ubuntu --file ./noble.qcow2 --checksum sha256:…")
        {
            name, osDistro, url, file, minDisk, minRam, isProtected, visibility, tags, containerFormat, diskFormat, wait, waiting.Interval, waiting.Timeout,
        };
        foreach (var option in expected.All)
        {
            command.Options.Add(option);
        }

        // A parse error, so that it reads like any other missing option, with the pointer to --help.
        command.Validators.Add(result =>
        {
            if ((result.GetResult(url) is null) == (result.GetResult(file) is null))
            {
                result.AddError("Give --url (import from Object Storage) or --file (upload a local file), one of them.");
            }
        });
        command.SetAction(cli.Run(async call =>
        {
            CheckBeforeCreate(call, call.Get(name), call.Get(osDistro));
            var (source, local) = (call.Get(url), call.Get(file));

            var request = new ImageCreateRequest
            {
                Name = call.Get(name),
                OsDistro = call.Get(osDistro),
                Url = source,
                MinDisk = call.Get(minDisk),
                MinRam = call.Get(minRam),
                Protected = call.Get(isProtected),
                Visibility = call.Get(visibility),
                Tags = ParseTags(call.Get(tags)),
                ContainerFormat = call.Get(containerFormat),
                DiskFormat = call.Get(diskFormat),
            };
            if (local is not null)
            {
                return await UploadAsync(call, request, local, expected.Read(call, Path.GetFileName(local)));
            }

            var created = await call.Client.CreateImageAsync(request, expected.Read(call, ExpectedDataOptions.FileNameOf(source ?? "")), call.Cancellation);
            if (call.Get(wait))
            {
                return await ImportWatch.WaitAndReportAsync(call, created.Value.Id, waiting.Read(call));
            }

            call.Output.Write(created, Tables.Fields);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static CliCommand Update(Cli cli)
    {
        var id = ImageId();
        var minDisk = new Option<int?>("--min-disk") { Description = "Minimum disk in GB." };
        var minRam = new Option<int?>("--min-ram") { Description = "Minimum RAM in MB, 0 to 2097151." };
        var isProtected = new Option<bool?>("--protected") { Description = "true to refuse deletion, false to allow it." };
        var visibility = Visibility();
        var command = new CliCommand("update", "Change an image's min disk, min RAM, protection or visibility; other fields stay (updateImage).",
            "imagectl images update 1bea47ed-f6a9-463b-b423-14b9cca9ad27 --protected false",
            "imagectl images update 1bea47ed-f6a9-463b-b423-14b9cca9ad27 --min-disk 40 --visibility shared")
        {
            id, minDisk, minRam, isProtected, visibility,
        };
        command.SetAction(cli.Run(async call =>
        {
            var request = new ImageSetRequest
            {
                MinDisk = call.Get(minDisk),
                MinRam = call.Get(minRam),
                Protected = call.Get(isProtected),
                Visibility = call.Get(visibility),
            };
            call.Output.Write(await call.Client.UpdateImageAsync(call.Get(id), request, call.Cancellation), Tables.Fields);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static CliCommand Delete(Cli cli)
    {
        var id = ImageId();
        var command = new CliCommand("delete", "Delete an image you own; a protected image must be unprotected first (deleteImage).",
            "imagectl images delete 1bea47ed-f6a9-463b-b423-14b9cca9ad27") { id };
        command.SetAction(cli.Run(async call =>
        {
            await call.Client.DeleteImageAsync(call.Get(id), call.Cancellation);
            call.Output.Message($"Deleted image {call.Get(id)}.");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static CliCommand Share(Cli cli)
    {
        var id = ImageId();
        var command = new CliCommand("share", "Ask the service to share an image; it works in the background (createSharingImage).",
            "imagectl images share 1bea47ed-f6a9-463b-b423-14b9cca9ad27") { id };
        command.SetAction(cli.Run(async call =>
        {
            await call.Client.CreateSharingImageAsync(call.Get(id), call.Cancellation);
            call.Output.Message($"Image {call.Get(id)} is now shared. Add the accounts that may use it next: imagectl members add {call.Get(id)} ACCOUNT_ID");
            return ExitCodes.Ok;
        }));
        return command;
    }

    // The rules the service would apply, checked first, so that a mistake is named with the flag
    // that carried it and costs no request.
    private static void CheckBeforeCreate(Invocation call, string? name, string? osDistro)
    {
        var problems = new List<string>();
        if (ImageFieldRules.NameProblem(name) is { } problem)
        {
            problems.Add($"--name '{name}': {problem}");
        }

        var version = call.Connection.ApiVersion;
        if (version.Split('.') is [var major, var minor] && int.TryParse(major, out var x) && int.TryParse(minor, out var y) &&
            ImageFieldRules.OsDistros(x, y) is var distros && !distros.Contains(osDistro))
        {
            problems.Add($"--os-distro '{osDistro}' is not one of API version {version}'s: {string.Join(", ", distros)}.");
        }

        if (problems.Count > 0)
        {
            throw new CliException(ExitCodes.Usage, string.Join("\nerror: ", problems));
        }
    }

    private static Argument<string> ImageId() => new("image-id") { Description = "The image id." };

    private static Option<string?> Visibility()
    {
        var visibility = new Option<string?>("--visibility") { Description = "private or shared." };
        visibility.AcceptOnlyFromAmong("private", "shared");
        return visibility;
    }

    private static Tag[]? ParseTags(string[]? tags) =>
        tags is null or [] ? null : tags.Select(t => t.Split('=', 2) is [var key, var value] ? new Tag(key, value) : new Tag(t, null)).ToArray();

    // Every image exactly as its page sent it, in one {"images":[…]} document.
    private static string MergePages(IEnumerable<string> pages)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("images");
            foreach (var page in pages)
            {
                using var document = JsonDocument.Parse(page);
                foreach (var image in document.RootElement.GetProperty("images").EnumerateArray())
                {
                    writer.WriteRawValue(image.GetRawText(), skipInputValidation: true);
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
