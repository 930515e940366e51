using System.CommandLine;

namespace ImageService.Cli;

// `imagectl pending list`: images shared with you that you have not answered yet.
internal static class PendingCommands
{
    public static Command Create(Cli cli) => new CliCommand("pending", "Images shared with you that wait for your accept or reject.",
        "imagectl pending list")
    {
        List(cli),
    };

    private static CliCommand List(Cli cli)
    {
        var imageType = new Option<string?>("--scp-image-type") { Description = "Only images of this image type." };
        var originalType = new Option<string?>("--scp-original-image-type") { Description = "Only images made from this original image type." };
        var command = new CliCommand("list", "List the images shared with you and still pending (listPendingImages).",
            "imagectl pending list",
            "imagectl pending list --scp-image-type custom --output json | jq -r '.images[].id'") { imageType, originalType };
        command.SetAction(cli.Run(async call =>
        {
            var pending = await call.Client.ListPendingImagesAsync(call.Get(imageType), call.Get(originalType), call.Cancellation);
            call.Output.Write(pending, Tables.Rows("images", Tables.ImageColumns));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
