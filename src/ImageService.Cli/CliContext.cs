namespace ImageService.Cli;

// Everything imagectl takes from its process. Tests build one over StringWriters, a dictionary for
// the environment and the in-process server's handler, and run commands without a process.
internal sealed class CliContext
{
    public required TextWriter Out { get; init; }

    public required TextWriter Error { get; init; }

    // Whether a person is watching: decides table or JSON, progress bar or plain lines, and prompts.
    public bool OutIsTerminal { get; init; }

    public bool ErrorIsTerminal { get; init; }

    public bool InIsTerminal { get; init; }

    // The terminal's columns for the progress bar; null asks the terminal itself.
    public int? ErrorWidth { get; init; }

    public required Func<string, string?> Environment { get; init; }

    // The innermost handler; the signing handler is put in front of it.
    public Func<HttpMessageHandler> CreateHttpHandler { get; init; } = () => new SocketsHttpHandler();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    // Real processes handle Ctrl+C through System.CommandLine; in-process runs must not hook the console.
    public bool HandlesTermination { get; init; }

    public static CliContext FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        OutIsTerminal = !Console.IsOutputRedirected,
        ErrorIsTerminal = !Console.IsErrorRedirected,
        InIsTerminal = !Console.IsInputRedirected,
        Environment = System.Environment.GetEnvironmentVariable,
        HandlesTermination = true,
    };
}
