using System.Text.RegularExpressions;

namespace ImageService.Tests.Observability;

// deploy/systemd/imageservice.service (docs/operations.md#install): systemd itself accepts it,
// and it keeps the hardening the operator's guide promises.
public sealed partial class SystemdUnitTests : IDisposable
{
    private const string Unit = "deploy/systemd/imageservice.service";

    private readonly string _root = Directory.CreateTempSubdirectory("imageservice-systemd-").FullName;

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task SystemdUnit_SystemdAnalyzeVerify_AcceptsItWithoutAWarning()
    {
        // A root of the test's own, holding the system's units (for the targets the unit orders
        // itself after) and a stand-in for the published binary, which verify requires to exist.
        CopyDirectory("/lib/systemd/system", Path.Combine(_root, "lib/systemd/system"));
        var binary = Path.Combine(_root, "opt/imageservice/ImageService.Api");
        Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
        await File.WriteAllTextAsync(binary, "#!/bin/sh\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(_root, "etc/systemd/system"));
        File.Copy(RepositoryFiles.PathOf(Unit), Path.Combine(_root, "etc/systemd/system/imageservice.service"));

        var (exitCode, output) = await Tools.RunAsync("systemd-analyze", ["verify", $"--root={_root}", "/etc/systemd/system/imageservice.service"]);

        Assert.True(exitCode == 0, output);
        Assert.Equal("", output);
    }

    [Theory]
    [InlineData("DynamicUser", "yes")]
    [InlineData("StateDirectory", "imageservice")]
    [InlineData("ProtectSystem", "strict")]
    [InlineData("NoNewPrivileges", "yes")]
    [InlineData("PrivateTmp", "yes")]
    [InlineData("Restart", "on-failure")]
    [InlineData("KillSignal", "SIGTERM")]
    public void SystemdUnit_Hardening_IsSet(string directive, string value) =>
        Assert.Equal(value, Directive(directive));

    // The host waits HostOptions.ShutdownTimeout (30 s by default) for running imports to be
    // handed back; systemd must not SIGKILL it before.
    [Fact]
    public void SystemdUnit_StopTimeout_LongerThanTheHostsShutdownTimeout() =>
        Assert.True(StopTimeout() > new Microsoft.Extensions.Hosting.HostOptions().ShutdownTimeout, $"TimeoutStopSec={Directive("TimeoutStopSec")}");

    public static TimeSpan StopTimeout() => TimeSpan.FromSeconds(int.Parse(
        SecondsValue().Match(Directive("TimeoutStopSec")).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Directive(string name) =>
        File.ReadLines(RepositoryFiles.PathOf(Unit)).Select(l => l.Split('=', 2))
            .Single(p => p.Length == 2 && p[0] == name)[1];

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo directory)
            {
                CopyDirectory(directory.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }

    [GeneratedRegex("^([0-9]+)s$")]
    private static partial Regex SecondsValue();
}
