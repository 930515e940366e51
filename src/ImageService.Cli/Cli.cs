using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using ImageService.Protocol.CommandLine;

namespace ImageService.Cli;

// The root of imagectl: the options every command takes, the command tree, and one run.
internal sealed class Cli
{
    private Cli(CliContext context) => Context = context;

    public CliContext Context { get; }

    public Option<string?> Endpoint { get; } = Global("--endpoint", "The service endpoint, for example http://127.0.0.1:8080 [env: SCP_ENDPOINT].");

    public Option<string?> AccessKey { get; } = Global("--access-key", "The access key id [env: SCP_ACCESS_KEY].");

    public Option<string?> SecretKey { get; } =
        Global("--secret-key", "The secret key [env: SCP_SECRET_KEY]. Prefer the environment or a profile: other users can see flags in the process list.");

    public Option<string?> AccountId { get; } = Global("--account-id", "The account to act in, sent as Scp-AccountId [env: SCP_ACCOUNT_ID].");

    public Option<string?> ApiVersion { get; } =
        Global("--api-version", $"The API version to ask for, as X.Y (default {Protocol.ImageServiceClient.DefaultApiVersion}) [env: SCP_API_VERSION].");

    public Option<string?> Profile { get; } = Global("--profile", "The profile of the config file to use (default: default) [env: IMAGECTL_PROFILE].");

    public Option<string?> Output { get; } = OutputOption();

    public static Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default) =>
        new Cli(context).RunAsync(args, cancellationToken);

    public static RootCommand BuildRoot(CliContext context) => new Cli(context).BuildRoot();

    // Wraps a command's body in an Invocation, which resolves the connection on first use and turns
    // failures into exit codes.
    public Func<ParseResult, CancellationToken, Task<int>> Run(Func<Invocation, Task<int>> body) =>
        async (parse, ct) =>
        {
            using var call = new Invocation(this, parse, ct);
            return await call.RunAsync(body);
        };

    private async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            // One line that says what is wrong, with the likely meant name, rather than the parser's
            // list (which adds "Required command was not provided" after a mistyped command).
            await Context.Error.WriteLineAsync($"error: {Mistake(parse)}");
            await Context.Error.WriteLineAsync($"Run 'imagectl {CommandPath(parse.CommandResult.Command)}--help' for usage.");
            return ExitCodes.Usage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = Context.Out,
            Error = Context.Error,
            ProcessTerminationTimeout = Context.HandlesTermination ? TimeSpan.FromSeconds(2) : null,
        };
        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    private static string Mistake(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (parse.UnmatchedTokens.Count > 0)
        {
            // Recursive options of the commands above (--profile, --output, …) count as this command's.
            var options = command.Options.Concat(Ancestors(command).SelectMany(c => c.Options.Where(o => o.Recursive)));
            return ClosestName.DescribeUnmatched(parse.UnmatchedTokens[0], $"imagectl {CommandPath(command)}".TrimEnd(),
                [.. command.Subcommands.Select(c => c.Name)], options.SelectMany(o => o.Aliases.Prepend(o.Name)));
        }

        if (command.Subcommands.Count > 0 && command.Action is null)
        {
            return $"'imagectl {CommandPath(command).TrimEnd()}' needs a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}.";
        }

        return string.Join(" ", parse.Errors.Select(e => e.Message));
    }

    private static IEnumerable<Command> Ancestors(Command command)
    {
        for (var symbol = command.Parents.FirstOrDefault(); symbol is Command parent; symbol = parent.Parents.FirstOrDefault())
        {
            yield return parent;
        }
    }

    private RootCommand BuildRoot()
    {
        var root = new RootCommand("imagectl: the command-line client of the image service (SCP Virtual Server image API). "
            + "Output is a table on a terminal and the service's exact JSON otherwise.")
        {
            Endpoint, AccessKey, SecretKey, AccountId, ApiVersion, Profile, Output,
            ImagesCommands.Create(this),
            MembersCommands.Create(this),
            PendingCommands.Create(this),
            AuditCommands.Create(this),
            QuotaCommands.Create(this),
            ConfigureCommand.Create(this),
            CompletionCommand.Create(),
        };
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithExamplesAction((HelpAction)help.Action!,
        [
            "imagectl configure --endpoint http://127.0.0.1:8080 --access-key AK…   (the secret from SCP_SECRET_KEY or a prompt)",
            "imagectl images create --name ubuntu-24 --os-distro ubuntu --url https://…/noble.qcow2 --wait",
            "imagectl images list --all --output json | jq -r '.images[].id'",
        ]);
        return root;
    }

    // "images list " for `imagectl images list`; "" for the root.
    private static string CommandPath(Command command)
    {
        var path = "";
        for (Symbol? symbol = command; symbol is Command { } c and not RootCommand; symbol = symbol.Parents.FirstOrDefault())
        {
            path = $"{c.Name} {path}";
        }

        return path;
    }

    private static Option<string?> Global(string name, string description) => new(name) { Description = description, Recursive = true };

    private static Option<string?> OutputOption()
    {
        var option = Global("--output", "json or table (default: table on a terminal, json otherwise).");
        option.AcceptOnlyFromAmong("json", "table");
        return option;
    }
}
