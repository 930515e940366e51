using System.CommandLine;
using ImageService.Cli;

namespace ImageService.Tests.Cli;

public sealed class HelpAndCompletionTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    public static TheoryData<string> Commands()
    {
        var root = ImageService.Cli.Cli.BuildRoot(new CliContext { Out = TextWriter.Null, Error = TextWriter.Null, Environment = _ => null });
        var paths = new TheoryData<string>();
        Walk(root, "");
        return paths;

        void Walk(Command command, string path)
        {
            paths.Add(path);
            foreach (var sub in command.Subcommands)
            {
                Walk(sub, (path + " " + sub.Name).Trim());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_AnyCommand_ShowsUsageAndAnExample(string command)
    {
        using var cli = new CliRunner(app);

        var result = await cli.RunAsync([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Examples:\n  ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("imagectl ", result.Stdout[result.Stdout.IndexOf("Examples:", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Root_ListsExitCodesAndEnvironment()
    {
        using var cli = new CliRunner(app);

        var result = await cli.RunAsync("--help");

        Assert.Contains("Exit codes:", result.Stdout, StringComparison.Ordinal);
        Assert.All(ExitCodes.All, code => Assert.Contains($"  {code.Code}  {code.Meaning}", result.Stdout, StringComparison.Ordinal));
        Assert.Contains(Connection.SecretKeyVariable, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_AnyArguments_ExitsUsageWithAHint()
    {
        using var cli = new CliRunner(app);

        var result = await cli.RunAsync("imgs", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal("error: 'imgs' is not a command of 'imagectl'. Did you mean 'images'?\nRun 'imagectl --help' for usage.\n", result.Stderr);
    }

    [Fact]
    public async Task UnknownSubcommand_Typo_SuggestsTheCommandOnly()
    {
        using var cli = new CliRunner(app);

        var result = await cli.RunAsync("images", "lst");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: 'lst' is not a command of 'imagectl images'. Did you mean 'list'?\nRun 'imagectl images --help' for usage.\n", result.Stderr);
    }

    [Fact]
    public async Task UnknownOption_Typo_SuggestsTheOption()
    {
        using var cli = new CliRunner(app);

        var result = await cli.RunAsync("images", "list", "--nme", "x");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: '--nme' is not an option of 'imagectl images list'. Did you mean '--name'?\nRun 'imagectl images list --help' for usage.\n", result.Stderr);
    }

    [Fact]
    public async Task GroupWithoutCommand_ExitsUsageListingItsCommands()
    {
        using var cli = new CliRunner(app);

        var result = await cli.RunAsync("members");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: 'imagectl members' needs a command: list, add, ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MembersAccept_NoMemberIdAndNoAccount_ExitsUsageBeforeCallingTheService()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);

        var result = await cli.RunAsync("members", "accept", "70a599e0-31e7-49b7-b260-868f441e862b");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--account-id", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(cli.Requests);
    }

    [Theory]
    [InlineData("bash")]
    [InlineData("zsh")]
    public async Task Completion_Shell_PrintsAScriptThatAsksTheSuggestDirective(string shell)
    {
        using var cli = new CliRunner(app);

        var result = await cli.RunAsync("completion", shell);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"[suggest:${COMP_POINT}]\" \"${COMP_LINE}\"", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("complete -o default -F _imagectl_complete imagectl", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("imagectl ima", "images")]
    [InlineData("imagectl images sh", "show")]
    [InlineData("imagectl images sh", "share")]
    [InlineData("imagectl members ", "accept")]
    [InlineData("imagectl images list --visibility ", "shared")]
    [InlineData("imagectl images create --os-distro ", "rocky")]
    public async Task Suggest_PartialCommandLine_CompletesFromTheCommandTree(string line, string expected)
    {
        using var cli = new CliRunner(app);

        var result = await cli.RunAsync($"[suggest:{line.Length}]", line);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(expected, result.Stdout.Split('\n'));
    }
}
