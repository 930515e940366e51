using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ImageService.Cli;

// `imagectl quota show`: the account's use against its limits (showQuota, an extension; docs/quotas.md).
internal static class QuotaCommands
{
    public static System.CommandLine.Command Create(Cli cli) => new CliCommand("quota", "Your account's quotas and what it uses.",
        "imagectl quota show")
    {
        Show(cli),
    };

    private static CliCommand Show(Cli cli)
    {
        var command = new CliCommand("show", "Show images owned and bytes stored against your account's limits (showQuota).",
            "imagectl quota show",
            "imagectl quota show --output json | jq .bytes");
        command.SetAction(cli.Run(async call =>
        {
            call.Output.Write(await call.Client.ShowQuotaAsync(call.Cancellation), Table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static IRenderable Table(JsonElement quota)
    {
        var images = quota.GetProperty("images");
        var bytes = quota.GetProperty("bytes");
        var table = Tables.Plain()
            .AddColumn(new TableColumn("QUOTA").PadRight(3).PadLeft(0))
            .AddColumn(new TableColumn("USED").PadRight(3).PadLeft(0))
            .AddColumn(new TableColumn("LIMIT").PadRight(3).PadLeft(0))
            .AddColumn(new TableColumn("NOTE").PadLeft(0));
        table.AddRow(new Text("images"), new Text(Tables.Show(images.GetProperty("used"))), new Text(Limit(images, l => Tables.Show(l))), new Text(""));
        table.AddRow(
            new Text("bytes"),
            new Text(Tables.Bytes(bytes.GetProperty("used").GetInt64())),
            new Text(Limit(bytes, l => Tables.Bytes(l.GetInt64()))),
            new Text($"{Tables.Bytes(bytes.GetProperty("stored").GetInt64())} stored, {Tables.Bytes(bytes.GetProperty("importing").GetInt64())} importing"));
        return table;
    }

    private static string Limit(JsonElement quota, Func<JsonElement, string> show) =>
        quota.TryGetProperty("limit", out var limit) && limit.ValueKind == JsonValueKind.Number ? show(limit) : "unlimited";
}
