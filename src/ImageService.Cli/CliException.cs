namespace ImageService.Cli;

// Stops a command with a message for stderr and an exit code; Invocation is the one place that
// catches it.
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode => exitCode;
}
