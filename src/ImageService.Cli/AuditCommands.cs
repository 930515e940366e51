using System.CommandLine;
using System.Globalization;

namespace ImageService.Cli;

// `imagectl audit list`: the account's own audit trail, newest first (listAuditEvents, an extension;
// docs/audit.md).
internal static class AuditCommands
{
    public static readonly string[] EventColumns = ["id", "occurred_at", "operation", "image_id", "outcome", "detail", "user_name", "caller_address"];

    public static Command Create(Cli cli) => new CliCommand("audit", "Your account's audit trail: every change it made, and when.",
        "imagectl audit list --since 24h")
    {
        List(cli),
    };

    private static CliCommand List(Cli cli)
    {
        var image = new Option<string?>("--image") { Description = "Only events of this image id." };
        var since = new Option<string?>("--since") { Description = "Only events from this time on: RFC 3339 (2026-12-01T09:00:00Z) or an age such as 90m, 24h, 7d." };
        var until = new Option<string?>("--until") { Description = "Only events before this time, in the same forms." };
        var limit = new Option<int?>("--limit") { Description = "Events per page, 1 to 1000 (the service's default is 20)." };
        var marker = new Option<long?>("--marker") { Description = "Start after this event id: the last id of the previous page." };
        var command = new CliCommand("list", "List your account's audit events, newest first (listAuditEvents).",
            "imagectl audit list --image 1bea47ed-f6a9-463b-b423-14b9cca9ad27",
            "imagectl audit list --since 7d --limit 100 --output json | jq -r '.audit_events[] | [.occurred_at, .operation] | @tsv'")
        {
            image, since, until, limit, marker,
        };
        command.SetAction(cli.Run(async call =>
        {
            var now = call.Context.Time.GetUtcNow();
            var events = await call.Client.ListAuditEventsAsync(
                call.Get(image), Time(call.Get(since), "--since", now), Time(call.Get(until), "--until", now), call.Get(limit), call.Get(marker),
                call.Cancellation);
            call.Output.Write(events, Tables.Rows("audit_events", EventColumns));
            return ExitCodes.Ok;
        }));
        return command;
    }

    // An RFC 3339 time, or an age counted back from now.
    private static DateTimeOffset? Time(string? text, string option, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length > 1 && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) &&
            text[^1] switch { 's' => TimeSpan.FromSeconds(count), 'm' => TimeSpan.FromMinutes(count), 'h' => TimeSpan.FromHours(count), 'd' => TimeSpan.FromDays(count), _ => (TimeSpan?)null } is { } age)
        {
            return now - age;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && text.Contains('T', StringComparison.Ordinal)
            ? time
            : throw new CliException(ExitCodes.Usage, $"{option} takes an RFC 3339 time such as 2026-12-01T09:00:00Z, or an age such as 90m, 24h or 7d.");
    }
}
