using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;

namespace ImageService.Tests.Imports.Inspection;

// Runs the real qemu-img, so the inspector is checked against files the reference implementation writes.
// A missing qemu-img fails the test rather than skipping it: CI installs qemu-utils, and a silent skip
// would hide the tests that matter most.
internal static class QemuImg
{
    // qemu-img times PBKDF2 on the thread's CPU clock to pick LUKS iterations, and gives up with
    // "Unable to get accurate CPU usage" when that clock has not moved, which happens on a busy
    // machine (two test suites at once in CI). Running it again is the answer.
    public static async Task<string> RunAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RunOnceAsync(arguments, cancellationToken);
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("Unable to get accurate CPU usage", StringComparison.Ordinal))
            {
            }
        }
    }

    private static async Task<string> RunOnceAsync(string[] arguments, CancellationToken cancellationToken)
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
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"qemu-img {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
            }

            return await output;
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
