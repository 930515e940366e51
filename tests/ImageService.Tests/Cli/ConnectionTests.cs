using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using ImageService.Cli;
using Microsoft.Extensions.Time.Testing;

namespace ImageService.Tests.Cli;

// Where imagectl finds its endpoint and credentials: flags over environment over profile, and the
// config file `configure` writes.
public sealed class ConnectionTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    // File modes are Unix's; on Windows the file inherits the user profile's ACL.
    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task Configure_SecretFromEnvironment_WritesAnOwnerOnlyFileAndNeverPrintsTheSecret()
    {
        var credentials = await app.CreateAccountAsync();
        using var cli = new CliRunner(app);
        cli.Environment[Connection.SecretKeyVariable] = credentials.SecretKey;

        var result = await cli.RunAsync("configure", "--profile", "alice", "--endpoint", "http://localhost", "--access-key", credentials.AccessKey);
        var profile = JsonNode.Parse(await File.ReadAllTextAsync(cli.ConfigFile, TestContext.Current.CancellationToken))!["profiles"]!["alice"]!;

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain(credentials.SecretKey, result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Contains("alice", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(credentials.SecretKey, profile["secret_key"]!.GetValue<string>());
        Assert.Equal(credentials.AccessKey, profile["access_key"]!.GetValue<string>());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cli.ConfigFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(cli.ConfigFile)!));
    }

    [Fact]
    public async Task Configure_SecondProfile_KeepsTheFirst()
    {
        using var cli = new CliRunner(app);
        cli.Environment[Connection.SecretKeyVariable] = "first-secret";
        await cli.RunAsync("configure", "--endpoint", "http://localhost", "--access-key", "AK1", "--no-verify");
        cli.Environment[Connection.SecretKeyVariable] = "second-secret";

        var result = await cli.RunAsync("configure", "--profile", "b", "--endpoint", "http://localhost", "--access-key", "AK2", "--account-id", "acct-b", "--no-verify");
        var profiles = JsonNode.Parse(await File.ReadAllTextAsync(cli.ConfigFile, TestContext.Current.CancellationToken))!["profiles"]!.AsObject();

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["default", "b"], profiles.Select(p => p.Key));
        Assert.Equal("AK1", profiles["default"]!["access_key"]!.GetValue<string>());
        Assert.Equal("acct-b", profiles["b"]!["account_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Configure_NoSecretAndNoTerminal_ExitsUsageNamingWhatIsMissing()
    {
        using var cli = new CliRunner(app);

        var result = await cli.RunAsync("configure", "--endpoint", "http://localhost", "--access-key", "AK1", "--no-verify");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("secret key", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.ConfigFile));
    }

    [Fact]
    public async Task Configure_WrongSecret_ExitsAuthAndSavesNothing()
    {
        var credentials = await app.CreateAccountAsync();
        using var cli = new CliRunner(app);
        cli.Environment[Connection.SecretKeyVariable] = "not-the-secret";

        var result = await cli.RunAsync("configure", "--endpoint", "http://localhost", "--access-key", credentials.AccessKey);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("refused the key (401)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--no-verify", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(cli.ConfigFile));
    }

    [Fact]
    public async Task Configure_NoVerify_SavesWithoutCallingTheService()
    {
        using var cli = new CliRunner(app);
        cli.Environment[Connection.SecretKeyVariable] = "unchecked";

        var result = await cli.RunAsync("configure", "--endpoint", "http://localhost", "--access-key", "AK1", "--no-verify");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("(not checked)", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(cli.Requests);
        Assert.True(File.Exists(cli.ConfigFile));
    }

    [Fact]
    public async Task Profile_Named_SuppliesEndpointAndCredentials()
    {
        var credentials = await app.CreateAccountAsync();
        using var cli = new CliRunner(app);
        cli.Environment[Connection.SecretKeyVariable] = credentials.SecretKey;
        await cli.RunAsync("configure", "--profile", "alice", "--endpoint", "http://localhost", "--access-key", credentials.AccessKey);
        cli.Environment.Remove(Connection.SecretKeyVariable);

        var byFlag = await cli.RunAsync("images", "list", "--profile", "alice");
        cli.Environment[Connection.ProfileVariable] = "alice";
        var byEnvironment = await cli.RunAsync("images", "list");

        Assert.Equal(0, byFlag.ExitCode);
        Assert.Equal("{\"images\":[]}\n", byFlag.Stdout);
        Assert.Equal(0, byEnvironment.ExitCode);
    }

    [Fact]
    public async Task Profile_Unknown_ExitsUsage()
    {
        using var cli = new CliRunner(app);

        var result = await cli.RunAsync("images", "list", "--profile", "nobody");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("imagectl configure --profile nobody", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environment_OverridesProfile_AndFlagOverridesEnvironment()
    {
        var credentials = await app.CreateAccountAsync();
        using var cli = new CliRunner(app);
        cli.Environment[Connection.SecretKeyVariable] = "profile-secret-that-is-wrong";
        await cli.RunAsync("configure", "--endpoint", "http://localhost", "--access-key", credentials.AccessKey, "--no-verify");

        cli.Environment[Connection.SecretKeyVariable] = credentials.SecretKey;
        var environmentWins = await cli.RunAsync("images", "list");
        cli.Environment[Connection.SecretKeyVariable] = "environment-secret-that-is-wrong";
        var flagWins = await cli.RunAsync("images", "list", "--secret-key", credentials.SecretKey);
        var wrong = await cli.RunAsync("images", "list");

        Assert.Equal(0, environmentWins.ExitCode);
        Assert.Equal(0, flagWins.ExitCode);
        Assert.Equal(3, wrong.ExitCode);
        Assert.Contains("(401 unauthorized)", wrong.Stderr, StringComparison.Ordinal);
        Assert.Contains("machine's clock", wrong.Stderr, StringComparison.Ordinal);
        Assert.Contains("imagectl configure --profile default", wrong.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("environment-secret-that-is-wrong", wrong.Stdout + wrong.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_NoEndpoint_ExitsUsageNamingTheSources()
    {
        using var cli = new CliRunner(app);

        var result = await cli.RunAsync("images", "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--endpoint", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(Connection.EndpointVariable, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("imagectl configure", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_EndpointNotListening_ExitsServer()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        cli.Environment[Connection.EndpointVariable] = "http://127.0.0.1:1";
        cli.Handler = () => new SocketsHttpHandler();

        var result = await cli.RunAsync("images", "list");

        Assert.Equal(6, result.ExitCode);
        Assert.Contains("could not reach http://127.0.0.1:1/", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_AccountIdOfAnotherAccount_ExitsAuth()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);

        var result = await cli.RunAsync("images", "list", "--account-id", "someone-else");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("(403 account_mismatch)", result.Stderr, StringComparison.Ordinal);
    }

    // File modes are Unix's; on Windows the file inherits the user profile's ACL.
    [Fact]
    [UnsupportedOSPlatform("windows")]
    public async Task ConfigFile_ReadableByOthers_DrawsAWarning()
    {
        using var cli = new CliRunner(app);
        cli.Environment[Connection.SecretKeyVariable] = "secret";
        await cli.RunAsync("configure", "--endpoint", "http://localhost", "--access-key", "AK1", "--no-verify");
        File.SetUnixFileMode(cli.ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = await cli.RunAsync("images", "list");

        Assert.Contains($"warning: {cli.ConfigFile} is readable by other users", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiVersion_RetiredVersion_ExitsUsageNamingTheUsableOnes()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);

        var result = await cli.RunAsync("images", "list", "--api-version", "1.0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("virtualserver 1.3", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiVersion_FlagOrEnvironment_PicksTheResponseShape()
    {
        // On 2026-05-01 version 1.1 is still served, and its images have no scp_gpu_driver.
        using var versioned = ImageServiceApp.Create(new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero)));
        using var cli = await CliRunner.ForNewAccountAsync(versioned);
        var created = await cli.RunAsync("images", "create", "--name", "versioned", "--os-distro", "ubuntu", "--url", Images.ImageRequests.Url);
        var id = JsonNode.Parse(created.Stdout)!["id"]!.GetValue<string>();

        var current = await cli.RunAsync("images", "show", id);
        var byFlag = await cli.RunAsync("images", "show", id, "--api-version", "1.1");
        cli.Environment[Connection.ApiVersionVariable] = "1.1";
        var byEnvironment = await cli.RunAsync("images", "show", id);

        Assert.True(JsonNode.Parse(current.Stdout)!.AsObject().ContainsKey("scp_gpu_driver"));
        Assert.Equal(0, byFlag.ExitCode);
        Assert.False(JsonNode.Parse(byFlag.Stdout)!.AsObject().ContainsKey("scp_gpu_driver"));
        Assert.False(JsonNode.Parse(byEnvironment.Stdout)!.AsObject().ContainsKey("scp_gpu_driver"));
    }
}
