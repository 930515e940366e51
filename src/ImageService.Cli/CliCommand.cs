using System.CommandLine;

namespace ImageService.Cli;

// A command whose help ends with examples (written by HelpWithExamplesAction).
internal sealed class CliCommand(string name, string description, params string[] examples) : Command(name, description)
{
    public IReadOnlyList<string> Examples => examples;
}
