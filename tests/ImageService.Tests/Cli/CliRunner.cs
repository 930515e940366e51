using ImageService.Cli;
using ImageService.Protocol;

namespace ImageService.Tests.Cli;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr);

// Runs imagectl in-process against an ImageServiceApp: real signatures through the test server's
// handler, stdout and stderr captured, the environment a dictionary, and a home folder of its own
// (so the config file is the test's). Requests are recorded as "METHOD /path?query".
internal sealed class CliRunner : IDisposable
{
    private readonly ImageServiceApp _app;

    public CliRunner(ImageServiceApp app, ScpCredentials? credentials = null)
    {
        _app = app;
        Home = Directory.CreateTempSubdirectory("imagectl-test-").FullName;
        Environment = new(StringComparer.Ordinal)
        {
            ["HOME"] = Home,
            ["XDG_CONFIG_HOME"] = Path.Combine(Home, "config"),
        };
        if (credentials is not null)
        {
            Environment[Connection.EndpointVariable] = app.BaseAddress.ToString();
            Environment[Connection.AccessKeyVariable] = credentials.AccessKey;
            Environment[Connection.SecretKeyVariable] = credentials.SecretKey;
            Environment[Connection.AccountIdVariable] = credentials.AccountId;
        }
    }

    public Dictionary<string, string?> Environment { get; }

    public string Home { get; }

    public string ConfigFile => Path.Combine(Home, "config", "imagectl", "config.json");

    public bool OutIsTerminal { get; set; }

    public bool ErrorIsTerminal { get; set; }

    // Stands for Ctrl+C: cancelling it is what System.CommandLine does on SIGINT.
    public CancellationToken Interrupt { get; set; } = CancellationToken.None;

    // The terminal's columns when ErrorIsTerminal.
    public int? ErrorWidth { get; set; }

    public List<string> Requests { get; } = [];

    // Runs before each request reaches the service: tests use it to move an image along, as the
    // import worker would.
    public Func<HttpRequestMessage, Task>? BeforeSend { get; set; }

    // Replaces the in-process service, for a stub or an unreachable endpoint.
    public Func<HttpMessageHandler>? Handler { get; set; }

    public static async Task<CliRunner> ForNewAccountAsync(ImageServiceApp app, string? accountId = null)
    {
        var credentials = await app.CreateAccountAsync(accountId);
        return new CliRunner(app, accountId is null ? credentials : credentials with { AccountId = accountId });
    }

    public async Task<CliResult> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new CliContext
        {
            Out = stdout,
            Error = stderr,
            OutIsTerminal = OutIsTerminal,
            ErrorIsTerminal = ErrorIsTerminal,
            ErrorWidth = ErrorWidth,
            Environment = name => Environment.GetValueOrDefault(name),
            CreateHttpHandler = () => new RecordingHandler(this) { InnerHandler = Handler?.Invoke() ?? _app.Server.CreateHandler() },
            Time = _app.Time,
        };
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken, Interrupt);
        var exitCode = await ImageService.Cli.Cli.RunAsync(args, context, cancellation.Token);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }

    private sealed class RecordingHandler(CliRunner runner) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (runner.Requests)
            {
                runner.Requests.Add($"{request.Method} {request.RequestUri!.PathAndQuery}");
            }

            if (runner.BeforeSend is { } hook)
            {
                await hook(request);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
