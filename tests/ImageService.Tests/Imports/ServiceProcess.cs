using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ImageService.Protocol;

namespace ImageService.Tests.Imports;

// The real service as its own process, on real Kestrel, so a test can kill it with SIGKILL.
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServiceProcess(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                _output.Enqueue(text);
            }
        };
    }

    public Uri Endpoint { get; }

    // Import leases name the node that holds them, and the node's name carries this process id.
    public int ProcessId => _process.Id;

    public static string AssemblyPath => typeof(Program).Assembly.Location;

    // What the service wrote to stdout so far (its console log).
    public IReadOnlyCollection<string> Output => _output;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static async Task<ServiceProcess> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var port = FreePort();
        var start = Start(environment, "--urls", $"http://127.0.0.1:{port}");
        var process = Process.Start(start) ?? throw new InvalidOperationException("The service did not start.");
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var probe = new HttpClient();

        // A minute: on a loaded 2-core machine a cold start alone took over 20 s.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(1) && !process.HasExited)
        {
            try
            {
                if ((await probe.GetAsync(new Uri(service.Endpoint, "/readyz"), ct)).IsSuccessStatusCode)
                {
                    return service;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, ct);
        }

        service.Dispose();
        throw new InvalidOperationException("The service did not become ready.");
    }

    // `keys create` through the real management command; returns the key as the SDK would use it.
    public static async Task<ScpCredentials> CreateKeyAsync(IReadOnlyDictionary<string, string> environment, string account, CancellationToken ct)
    {
        var start = Start(environment, "keys", "create", "--account", account, "--account-name", "Crash Test", "--user-name", "crash@example.com");
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.Equal(0, process.ExitCode);
        var key = JsonNode.Parse(output)!;
        return new ScpCredentials(key["access_key"]!.GetValue<string>(), key["secret_key"]!.GetValue<string>(), "");
    }

    // The service run to its end: a management command, or a start that refuses; a minute at most.
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        IReadOnlyDictionary<string, string> environment, CancellationToken ct, params string[] arguments)
    {
        using var process = Process.Start(Start(environment, arguments))!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }

    public HttpClient CreateSignedClient(ScpCredentials credentials) =>
        new(new ScpSigningHandler(credentials, "1.3") { InnerHandler = new HttpClientHandler() }) { BaseAddress = Endpoint };

    // SIGTERM, what systemd sends on stop; waits for the process to end, at most `within`.
    public async Task TerminateAsync(TimeSpan within, CancellationToken ct)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(ct);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(within);
        await _process.WaitForExitAsync(timeout.Token);
    }

    // SIGKILL: no shutdown hooks, no lease release; exactly what a crashed node leaves.
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private static ProcessStartInfo Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(AssemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(AssemblyPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
