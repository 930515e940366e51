using System.CommandLine;
using ImageService.Protocol.Images;

namespace ImageService.Cli;

// --checksum, --checksum-file and --size, for every command that sends image data or a URL to it:
// the service checks the data against them and kills the import when it differs.
internal sealed class ExpectedDataOptions
{
    public Option<string?> Checksum { get; } = new("--checksum")
    {
        Description = "The checksum the data must have: md5:HEX, sha256:HEX or sha512:HEX.",
    };

    public Option<string?> ChecksumFile { get; } = new("--checksum-file")
    {
        Description = "A published sums file (SHA256SUMS, SHA512SUMS, MD5SUMS); its line for the file's name is the checksum.",
    };

    public Option<long?> Size { get; } = new("--size") { Description = "The size in bytes the data must have." };

    public IEnumerable<Option> All => [Checksum, ChecksumFile, Size];

    // fileName: the last part of the URL's path, or of the uploaded file's path.
    public ExpectedImageData? Read(Invocation call, string fileName)
    {
        var text = call.Get(Checksum);
        var file = call.Get(ChecksumFile);
        if (text is not null && file is not null)
        {
            throw new CliException(ExitCodes.Usage, "Give --checksum or --checksum-file, not both.");
        }

        ImageChecksum? checksum = null;
        if (text is not null && !ImageChecksum.TryParse(text, out checksum))
        {
            throw new CliException(ExitCodes.Usage, $"--checksum '{text}' must be {ImageChecksum.Format}.");
        }

        if (file is not null)
        {
            checksum = SumsFile.Find(file, fileName);
        }

        var size = call.Get(Size);
        if (size < 0)
        {
            throw new CliException(ExitCodes.Usage, "--size must be a number of bytes, 0 or more.");
        }

        return checksum is null && size is null ? null : new ExpectedImageData(checksum, size);
    }

    // The file name a sums file lists for a URL: the last segment of its path, without the query.
    public static string FileNameOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Uri.UnescapeDataString(uri.Segments[^1]) : url.Split('?')[0].Split('/')[^1];
}
