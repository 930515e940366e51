using System.CommandLine;

namespace ImageService.Cli;

// `imagectl completion bash|zsh`: a script that asks imagectl itself for completions through
// System.CommandLine's [suggest:<cursor>] directive, as dotnet-suggest does, so completions always
// match the installed version's commands and options.
internal static class CompletionCommand
{
    private const string Bash = """
        # imagectl completion for bash. Load it with: source <(imagectl completion bash)
        _imagectl_complete() {
            local IFS=$'\n'
            local suggestions
            suggestions=$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null) || return
            COMPREPLY=($(compgen -W "${suggestions}" -- "${COMP_WORDS[COMP_CWORD]}"))
        }
        complete -o default -F _imagectl_complete imagectl
        """;

    private const string ZshPrelude = """
        # imagectl completion for zsh, through zsh's bash completion support. Load it with: source <(imagectl completion zsh)
        autoload -U +X bashcompinit && bashcompinit
        """;

    public static Command Create()
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        var command = new CliCommand("completion", "Print a shell completion script.",
            "source <(imagectl completion bash)",
            "imagectl completion bash > /etc/bash_completion.d/imagectl") { shell };
        command.SetAction((parse, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(shell) == "zsh")
            {
                output.WriteLine(ZshPrelude);
            }

            output.WriteLine(Bash);
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }
}
