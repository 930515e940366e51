using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace ImageService.Tests.Cli;

// `images download` against a stand-in for GET /v2/images/{id}/file, which can also send bytes whose
// ETag does not match. Downloads from the real endpoint are tested in ImportCommandsTests once the
// service serves image files.
public sealed class DownloadCommandTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>, IDisposable
{
    private static readonly byte[] Bytes = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7))];

    private readonly string _folder = Directory.CreateTempSubdirectory("imagectl-download-").FullName;

    [Fact]
    public async Task DownloadImage_EtagMatches_WritesTheFileAndReportsProgress()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        cli.Handler = () => new FileServerStub(Bytes, Md5(Bytes));
        var target = Path.Combine(_folder, "ok.qcow2");

        var result = await cli.RunAsync("images", "download", "img-1", "-o", target, "--output", "table");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Bytes, await File.ReadAllBytesAsync(target, TestContext.Current.CancellationToken));
        Assert.Equal([target], Directory.GetFiles(_folder));
        Assert.Equal($"Downloaded image img-1 to {target}: 293.0 KiB ({Bytes.Length} bytes), MD5 {Md5(Bytes)}.\n", result.Stdout);
        Assert.StartsWith("image img-1: downloading, 0 B of 293.0 KiB (0%)\n", result.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("image img-1: downloading, 293.0 KiB of 293.0 KiB (100%)\n", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(["GET /v2/images/img-1/file"], cli.Requests);
    }

    [Fact]
    public async Task DownloadImage_EtagMismatch_Exits1AndLeavesNoFile()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        cli.Handler = () => new FileServerStub(Bytes, new string('0', 32));
        var target = Path.Combine(_folder, "corrupt.qcow2");

        var result = await cli.RunAsync("images", "download", "img-1", "-o", target);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the transfer was corrupted", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task DownloadImage_Missing_Exits4AndLeavesNoFile()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var target = Path.Combine(_folder, "missing.qcow2");

        var result = await cli.RunAsync("images", "download", "70a599e0-31e7-49b7-b260-868f441e862b", "-o", target);

        Assert.Equal(4, result.ExitCode);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task DownloadImage_FileExists_RefusesWithoutForceAndKeepsTheFile()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        cli.Handler = () => new FileServerStub(Bytes, Md5(Bytes));
        var target = Path.Combine(_folder, "kept.qcow2");
        await File.WriteAllTextAsync(target, "mine", TestContext.Current.CancellationToken);

        var result = await cli.RunAsync("images", "download", "img-1", "-o", target);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: {target} exists; choose another file with -o, or replace it with --force.\n", result.Stderr);
        Assert.Equal("mine", await File.ReadAllTextAsync(target, TestContext.Current.CancellationToken));
        Assert.Equal([target], Directory.GetFiles(_folder));
        Assert.Empty(cli.Requests);
    }

    [Fact]
    public async Task DownloadImage_FileExistsWithForce_ReplacesIt()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        cli.Handler = () => new FileServerStub(Bytes, Md5(Bytes));
        var target = Path.Combine(_folder, "replaced.qcow2");
        await File.WriteAllTextAsync(target, "old", TestContext.Current.CancellationToken);

        var result = await cli.RunAsync("images", "download", "img-1", "-o", target, "--force");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Bytes, await File.ReadAllBytesAsync(target, TestContext.Current.CancellationToken));
        Assert.Equal([target], Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task DownloadImage_CorruptOverAnExistingFileWithForce_KeepsTheOldFile()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        cli.Handler = () => new FileServerStub(Bytes, new string('0', 32));
        var target = Path.Combine(_folder, "survivor.qcow2");
        await File.WriteAllTextAsync(target, "old", TestContext.Current.CancellationToken);

        var result = await cli.RunAsync("images", "download", "img-1", "-o", target, "--force");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("old", await File.ReadAllTextAsync(target, TestContext.Current.CancellationToken));
        Assert.Equal([target], Directory.GetFiles(_folder));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "MD5 is the API's image checksum.")]
    private static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    private sealed class FileServerStub(byte[] bytes, string etag) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            response.Headers.ETag = new EntityTagHeaderValue($"\"{etag}\"");
            return Task.FromResult(response);
        }
    }
}
