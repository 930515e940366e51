using System.Text.RegularExpressions;
using ImageService.Protocol.Images;

namespace ImageService.Cli;

// A published sums file (Ubuntu's and Debian's SHA256SUMS, SHA512SUMS, MD5SUMS): the line for one
// file name. Both forms people have: coreutils' "hash  name" (or "hash *name" in binary mode, as
// Ubuntu writes it), and the BSD tag form "SHA256 (name) = hash" (sha256sum --tag, macOS shasum).
internal static partial class SumsFile
{
    public static ImageChecksum Find(string path, string fileName)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"--checksum-file {path}: {e.Message}");
        }

        foreach (var line in lines)
        {
            if (Parse(line.Trim()) is { } entry && NameOf(entry.Name) == fileName)
            {
                return ImageChecksum.TryParse($"{entry.Algorithm}:{entry.Digest}", out var checksum)
                    ? checksum
                    : throw new CliException(ExitCodes.Usage, $"--checksum-file {path}: the line for {fileName} has no {entry.Algorithm} digest.");
            }
        }

        throw new CliException(ExitCodes.Usage, $"--checksum-file {path} has no line for {fileName}.");
    }

    private static (string Algorithm, string Digest, string Name)? Parse(string line)
    {
        if (BsdLine().Match(line) is { Success: true } bsd)
        {
            return (bsd.Groups["tag"].Value.ToLowerInvariant(), bsd.Groups["hash"].Value, bsd.Groups["name"].Value);
        }

        if (GnuLine().Match(line) is { Success: true } gnu)
        {
            var digest = gnu.Groups["hash"].Value;
            var algorithm = ImageChecksum.Algorithms.FirstOrDefault(a => a.Value == digest.Length).Key;
            return algorithm is null ? null : (algorithm, digest, gnu.Groups["name"].Value);
        }

        return null;
    }

    // Sums files name files relative to their folder, sometimes as ./name or dir/name.
    private static string NameOf(string name) => name.Replace('\\', '/').Split('/')[^1];

    [GeneratedRegex(@"^(?<tag>MD5|SHA256|SHA512) \((?<name>.+)\) = (?<hash>[0-9A-Fa-f]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex BsdLine();

    [GeneratedRegex(@"^(?<hash>[0-9A-Fa-f]+) [ *](?<name>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex GnuLine();
}
