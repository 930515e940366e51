using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace ImageService.Tests.Imports.Inspection;

// Runs the real qemu-img, so the inspector is checked against files the reference implementation writes.
// A missing qemu-img fails the test rather than skipping it: CI installs qemu-utils, and a silent skip
// would hide the tests that matter most.
internal static class QemuImg
{
    public const string CpuClockStalled = "Unable to get accurate CPU usage";

    // qemu-img times PBKDF2 on the thread's CPU clock to pick LUKS iterations, and gives up with
    // CpuClockStalled when that clock has not moved, which happens on a busy
    // machine (two test suites at once in CI). Running it again is the answer.
    public static async Task<string> RunAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(arguments, cancellationToken);
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains(CpuClockStalled, StringComparison.Ordinal))
            {
            }
        }
    }

    // What qemu makes of a file: whether `qemu-img info` opens it, and whether `qemu-img check` then finds it
    // clean (exit code 0: no corruption, no leaks, no error), with the virtual size info reports.
    public static async Task<QemuVerdict> VerdictAsync(string path, CancellationToken cancellationToken)
    {
        var (infoExit, info, infoError) = await ExecuteAsync(["info", "--output=json", path], cancellationToken);
        if (infoExit != 0)
        {
            return new QemuVerdict(false, false, 0, infoError.Trim());
        }

        using var document = JsonDocument.Parse(info);
        var virtualSize = document.RootElement.GetProperty("virtual-size").GetInt64();
        var (checkExit, checkOutput, checkError) = await ExecuteAsync(["check", path], cancellationToken);
        return new QemuVerdict(true, checkExit == 0, virtualSize, (checkOutput + checkError).Trim());
    }

    private static async Task<string> RunOnceAsync(string[] arguments, CancellationToken cancellationToken)
    {
        var (exitCode, output, error) = await ExecuteAsync(arguments, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"qemu-img {string.Join(' ', arguments)} exited with {exitCode}: {error}");
        }

        return output;
    }

    private static async Task<(int ExitCode, string Output, string Error)> ExecuteAsync(
        string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("qemu-img")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)
                ?? throw new InvalidOperationException("qemu-img did not start.");
        }
        catch (Win32Exception exception)
        {
            throw new InvalidOperationException(
                "These tests need qemu-img: install the qemu-utils package (apt-get install -y qemu-utils).",
                exception);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return (process.ExitCode, await output, await error);
        }
    }

    public static async Task<(string Format, long VirtualSize)> InfoAsync(string path, CancellationToken cancellationToken)
    {
        var json = await RunAsync(cancellationToken, "info", "--output=json", path);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return (root.GetProperty("format").GetString() ?? "", root.GetProperty("virtual-size").GetInt64());
    }
}

internal sealed record QemuVerdict(bool Opens, bool CheckClean, long VirtualSize, string Message);
