using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ImageService.Tests.Imports;

// Real disk image files made with qemu-img (Debian's qemu-utils; .ci/run installs it). A test that
// needs one fails, never skips, when qemu-img is missing.
public sealed class DiskImages : IDisposable
{
    public DiskImages() => Directory = System.IO.Directory.CreateTempSubdirectory("imageservice-disks-").FullName;

    public string Directory { get; }

    // A qcow2 holding `dataBytes` of random data (seeded, so every run makes the same file).
    public string Qcow2WithData(string name, int dataBytes, int seed = 1, string? extraOptions = null)
    {
        var raw = RawFile(name + ".raw", dataBytes, seed);
        var path = Path.Combine(Directory, name);
        Run("qemu-img", $"convert -q -f raw -O qcow2 {extraOptions} \"{raw}\" \"{path}\"");
        File.Delete(raw);
        return path;
    }

    public string RawFile(string name, int bytes, int seed = 1)
    {
        var data = new byte[bytes];
        new Random(seed).NextBytes(data);
        var path = Path.Combine(Directory, name);
        File.WriteAllBytes(path, data);
        return path;
    }

    public string Convert(string name, string source, string format)
    {
        var path = Path.Combine(Directory, name);
        Run("qemu-img", $"convert -q -O {format} \"{source}\" \"{path}\"");
        return path;
    }

    public static string QemuImg(string arguments) => Run("qemu-img", arguments);

    public static long VirtualSize(string path) =>
        JsonNode.Parse(Run("qemu-img", $"info --output=json \"{path}\""))!["virtual-size"]!.GetValue<long>();

    // The coreutils answer, as the issue asks: md5sum, sha512sum.
    public static string HashWith(string tool, string path) => Run(tool, $"\"{path}\"").Split(' ')[0];

    // Tried up to three times when qemu-img's LUKS timing gives up on a busy machine (see QemuImg.RunAsync).
    public static string Run(string tool, string arguments)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return RunOnce(tool, arguments);
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains(Inspection.QemuImg.CpuClockStalled, StringComparison.Ordinal))
            {
            }
        }
    }

    private static string RunOnce(string tool, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(tool, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"{tool} could not be started; install it (qemu-utils, coreutils).");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {arguments} failed: {error}");
        }

        return output;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
