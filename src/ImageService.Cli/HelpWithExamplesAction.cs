using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace ImageService.Cli;

// System.CommandLine's help, followed by the command's examples; the root's help also lists the
// environment variables and exit codes.
internal sealed class HelpWithExamplesAction(HelpAction help, IReadOnlyList<string> rootExamples) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var result = help.Invoke(parseResult);
        var output = parseResult.InvocationConfiguration.Output;
        var command = parseResult.CommandResult.Command;
        var examples = command switch
        {
            CliCommand cli => cli.Examples,
            RootCommand => rootExamples,
            _ => [],
        };
        if (examples.Count > 0)
        {
            output.WriteLine("Examples:");
            foreach (var example in examples)
            {
                output.WriteLine($"  {example}");
            }

            output.WriteLine();
        }

        if (command is RootCommand)
        {
            output.WriteLine("Environment:");
            foreach (var (name, meaning) in Connection.Variables)
            {
                output.WriteLine($"  {name,-18} {meaning}");
            }

            output.WriteLine();
            output.WriteLine("Exit codes:");
            foreach (var (code, meaning) in ExitCodes.All)
            {
                output.WriteLine($"  {code}  {meaning}");
            }

            output.WriteLine();
        }

        return result;
    }
}
