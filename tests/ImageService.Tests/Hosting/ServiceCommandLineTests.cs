using System.Net;
using System.Net.Sockets;
using ImageService.Tests.Imports;

namespace ImageService.Tests.Hosting;

// The service's own command line, run as a real process: help and mistakes never start a server,
// and a start that cannot succeed ends with one line on stderr that says what to change, exit 1.
public sealed class ServiceCommandLineTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("imageservice-cli-").FullName;

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task Help_ListsCommandsAndMainSettingsWithoutServing(string flag)
    {
        var result = await RunAsync(flag);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("keys", result.Output, StringComparison.Ordinal);
        Assert.Contains("db", result.Output, StringComparison.Ordinal);
        Assert.Contains("--urls URL", result.Output, StringComparison.Ordinal);
        Assert.Contains("--Data:Directory=PATH", result.Output, StringComparison.Ordinal);
        Assert.Contains("--Import:AllowedSources:0=URL", result.Output, StringComparison.Ordinal);
        Assert.Contains("docs/configuration.md", result.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_data));
    }

    [Fact]
    public async Task Help_AfterSettings_StillPrintsHelp()
    {
        var result = await RunAsync("--urls", "http://127.0.0.1:1", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Main settings", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_Typo_Exits2WithOneSuggestionAndServesNothing()
    {
        var result = await RunAsync("keyz", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Output);
        Assert.Equal(
            "error: 'keyz' is not a command of 'ImageService.Api'. Did you mean 'keys'?\n" +
            "Run 'ImageService.Api --help' for the commands and settings.\n",
            result.Error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_data));
    }

    [Fact]
    public async Task UnknownCommand_AfterSettings_IsStillAnError()
    {
        var result = await RunAsync("--urls", "http://127.0.0.1:1", "--Import:MaxConcurrentImports=1", "keyz");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: 'keyz' is not a command of 'ImageService.Api'. Did you mean 'keys'?\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownSubcommand_Typo_SuggestsIt()
    {
        var result = await RunAsync("keys", "crate");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: 'crate' is not a command of 'ImageService.Api keys'. Did you mean 'create'?\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PortInUse_OneLineNamingTheAddressAndUrls_Exit1()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)holder.LocalEndpoint).Port}";

        var result = await RunAsync("--urls", address);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"error: cannot listen on {address}: the address is already in use. " +
            "Stop what listens there, or choose another address with --urls (for example --urls http://127.0.0.1:8081).\n",
            result.Error);
    }

    [Fact]
    public async Task Start_DataFolderCannotBeWritten_OneLineNamingTheFolder_Exit1()
    {
        // Below a regular file: no one, root included, can make that folder.
        var file = Path.Combine(_data, "a-file");
        await File.WriteAllTextAsync(file, "", TestContext.Current.CancellationToken);
        var folder = Path.Combine(file, "data");

        var result = await RunWithAsync(new() { ["Data__Directory"] = folder }, "--urls", "http://127.0.0.1:0");

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"error: the data folder {folder} cannot be written (", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("Give the service's user write access to it, or choose another folder with --Data:Directory=PATH.\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_DatabaseUnreachable_OneLineNamingTheServerNeverThePassword_Exit1()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();

        var result = await RunWithAsync(
            new()
            {
                ["Data__Provider"] = "Postgres",
                ["ConnectionStrings__Images"] = $"Host=127.0.0.1;Port={port};Database=images;Username=images;Password=do-not-print;Timeout=5",
            },
            "--urls", "http://127.0.0.1:0");

        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"error: the PostgreSQL database at 127.0.0.1:{port} (ConnectionStrings:Images) cannot be used: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("do-not-print", result.Output + result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments) => RunWithAsync([], arguments);

    private Task<(int ExitCode, string Output, string Error)> RunWithAsync(Dictionary<string, string> environment, params string[] arguments)
    {
        environment.TryAdd("Data__Directory", _data);
        return ServiceProcess.RunAsync(environment, TestContext.Current.CancellationToken, arguments);
    }
}
