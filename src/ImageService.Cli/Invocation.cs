using System.CommandLine;
using System.Text.Json;
using ImageService.Protocol;

namespace ImageService.Cli;

// One run of one command: its parse result, its output, and a client made on first use. RunAsync is
// the one place where failures become a message on stderr and an exit code; secrets never reach
// either, since no message here is built from the credentials.
internal sealed class Invocation(Cli cli, ParseResult parse, CancellationToken cancellationToken) : IDisposable
{
    private Connection? _connection;
    private HttpClient? _http;
    private ImageServiceClient? _client;
    private HttpClient? _uploadHttp;
    private ImageServiceClient? _uploadClient;

    public Cli Cli => cli;

    public CliContext Context => cli.Context;

    public CancellationToken Cancellation => cancellationToken;

    public Output Output { get; } = Output.Create(cli.Context, parse.GetValue(cli.Output));

    public Connection Connection => _connection ??= Connection.Resolve(cli, parse);

    public ImageServiceClient Client => _client ??= new ImageServiceClient(_http = Connection.CreateHttpClient(Context));

    // For a call that sends an image as its body: no overall timeout (Connection.CreateHttpClient).
    public ImageServiceClient UploadClient => _uploadClient ??= new ImageServiceClient(_uploadHttp = Connection.CreateHttpClient(Context, Timeout.InfiniteTimeSpan));

    public T? Get<T>(Option<T> option) => parse.GetValue(option);

    public T Get<T>(Argument<T> argument) => parse.GetValue(argument)!;

    public ParseResult Parse => parse;

    public async Task<int> RunAsync(Func<Invocation, Task<int>> body)
    {
        try
        {
            return await body(this);
        }
        catch (ScpApiException e)
        {
            await WriteErrorsAsync(e);
            return ExitCodes.For(e.StatusCode);
        }
        catch (CliException e)
        {
            await Context.Error.WriteLineAsync($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (HttpRequestException e)
        {
            await Context.Error.WriteLineAsync($"error: could not reach {_connection?.Endpoint}: {e.Message}");
            return ExitCodes.Server;
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested && e.InnerException is TimeoutException)
        {
            await Context.Error.WriteLineAsync($"error: {_connection?.Endpoint} did not answer in time.");
            return ExitCodes.Server;
        }
        catch (JsonException e)
        {
            await Context.Error.WriteLineAsync($"error: the service's answer could not be read: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            await Context.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    public void Dispose()
    {
        _http?.Dispose();
        _uploadHttp?.Dispose();
    }

    private async Task WriteErrorsAsync(ScpApiException e)
    {
        if (e.Errors.Count == 0)
        {
            await Context.Error.WriteLineAsync($"error: {e.Message}");
            return;
        }

        foreach (var error in e.Errors)
        {
            await Context.Error.WriteLineAsync($"error: {error.Detail} ({error.Status} {error.Code})");
        }

        // The service says no more than "invalid or expired" (docs/signing.md), so say what to check.
        if (e.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            var (profile, _) = Connection.ProfileName(cli, parse);
            await Context.Error.WriteLineAsync(
                "hint: check the secret key, this machine's clock (the service refuses a signature more than 15 minutes off its own) " +
                $"and whether the key was revoked; save a new key with: imagectl configure --profile {profile}");
        }
    }
}
