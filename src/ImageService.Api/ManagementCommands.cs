using System.CommandLine;
using System.CommandLine.Help;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Hosting;
using ImageService.Api.Quotas;
using ImageService.Protocol.CommandLine;

namespace ImageService.Api;

// The service's command line. Without a command (settings only: --urls, --Key=value) it serves
// the API; `keys …` and `db …` are management commands that share the service's configuration and
// run instead of the web server; `--help` lists both, with the main settings. A word that is no
// command is an error with a suggestion, never a server that starts anyway.
internal static class ManagementCommands
{
    public const string HelpCommand = "help";

    private static readonly string[] HelpFlags = ["--help", "-h", "-?"];

    // The first argument that is neither a setting (--Key=value, --Key value, Key=value) nor a help
    // flag is a command, known or not: never a server that starts anyway.
    public static bool IsCommand(string[] args) => args.Any(HelpFlags.Contains) || CommandStart(args) < args.Length;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        var root = new RootCommand("The image service: the SCP Virtual Server image API, with its management commands.")
        {
            KeysCommand.Create(services),
            QuotasCommand.Create(services),
            DatabaseCommand.Create(services),
        };
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new ServiceHelpAction((HelpAction)help.Action!);

        // Settings before the command are the host's, which has read them; a help flag among them
        // asks for the root's help.
        var start = CommandStart(args);
        var parse = root.Parse(args[start..] switch
        {
            [HelpCommand, .. var rest] => ["--help", .. rest],
            [] => ["--help"],
            var command => command,
        });
        if (parse.Action is not ServiceHelpAction && Mistake(parse) is { } mistake)
        {
            await Console.Error.WriteLineAsync($"error: {mistake}");
            await Console.Error.WriteLineAsync($"Run '{Path(parse.CommandResult.Command)} --help' for the commands and settings.");
            return 2;
        }

        // Every command but the migration itself needs a database that is ready.
        if (parse.Action is not ServiceHelpAction && args[start] != "db" && await services.PrepareImageDatabaseAsync() is { } problem)
        {
            await Console.Error.WriteLineAsync(problem);
            return 1;
        }

        return await parse.InvokeAsync();
    }

    // Where the command begins: past settings, and the value of a "--Key value" setting.
    private static int CommandStart(string[] args)
    {
        var i = 0;
        while (i < args.Length && !HelpFlags.Contains(args[i]) && IsSetting(args[i]))
        {
            i += args[i].StartsWith('-') && !args[i].Contains('=', StringComparison.Ordinal) ? 2 : 1;
        }

        return Math.Min(i, args.Length);
    }

    private static bool IsSetting(string argument) =>
        argument.StartsWith('-') || argument.StartsWith('/') || argument.Contains('=', StringComparison.Ordinal);

    private static string? Mistake(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (parse.UnmatchedTokens.Count > 0)
        {
            return ClosestName.DescribeUnmatched(parse.UnmatchedTokens[0], Path(command),
                [.. command.Subcommands.Select(c => c.Name)], command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)));
        }

        if (command.Subcommands.Count > 0 && command.Action is null)
        {
            return $"'{Path(command)}' needs a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}.";
        }

        return parse.Errors.Count > 0 ? string.Join(" ", parse.Errors.Select(e => e.Message)) : null;
    }

    private static string Path(Command command)
    {
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is Command { } c; symbol = symbol.Parents.FirstOrDefault())
        {
            names.Insert(0, c is RootCommand ? ServiceHelpAction.ProgramName : c.Name);
        }

        return string.Join(' ', names);
    }
}
