using System.Text.Json.Nodes;
using ImageService.Tests.Imports;

namespace ImageService.Tests.Cli;

// Issue 13, items 1 and 4 in imagectl: --checksum, --checksum-file, --size on create and import,
// and create --file, against the real service with its worker on.
public sealed class ExpectedDataCommandsTests(ImportFixture fixture) : IClassFixture<ImportFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("imagectl-expected-").FullName;

    private ImageServiceApp App => fixture.App;

    [Fact]
    public async Task CreateImage_File_UploadsWithProgressAndPrintsTheActiveImage()
    {
        var file = fixture.Disks.Qcow2WithData("cli-upload.qcow2", 2 << 20, seed: 81);
        var sha256 = DiskImages.HashWith("sha256sum", file);
        using var cli = await CliRunner.ForNewAccountAsync(App);

        var result = await cli.RunAsync("images", "create", "--name", "uploaded", "--os-distro", "ubuntu", "--file", file,
            "--checksum", $"sha256:{sha256}", "--size", new FileInfo(file).Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var image = JsonNode.Parse(result.Stdout)!;
        var id = image["id"]!.GetValue<string>();

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("active", image["status"]!.GetValue<string>());
        Assert.Equal(DiskImages.HashWith("md5sum", file), image["checksum"]!.GetValue<string>());
        Assert.Contains($"image {id}: uploading", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("POST /v2/images", cli.Requests);
        Assert.Contains($"PUT /v2/images/{id}/file", cli.Requests);
    }

    [Fact]
    public async Task CreateImage_FileWithTheWrongChecksum_FailsWithTheServicesCodeAndNamesTheImage()
    {
        var file = fixture.Disks.Qcow2WithData("cli-upload-wrong.qcow2", 1 << 20, seed: 82);
        using var cli = await CliRunner.ForNewAccountAsync(App);

        var result = await cli.RunAsync("images", "create", "--name", "wrong", "--os-distro", "ubuntu", "--file", file,
            "--checksum", $"md5:{new string('0', 32)}");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("md5", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(DiskImages.HashWith("md5sum", file), result.Stderr, StringComparison.Ordinal);
        Assert.Contains("imagectl images delete", result.Stderr, StringComparison.Ordinal);
    }

    public static TheoryData<string> SumsLines => new("{0}  {1}", "{0} *{1}", "SHA256 ({1}) = {0}", "{0}  ./{1}");

    [Theory]
    [MemberData(nameof(SumsLines))]
    public async Task CreateImage_ChecksumFile_PicksTheLineForTheUrlsFileName(string format)
    {
        var file = fixture.Disks.Qcow2WithData("cli-sums.qcow2", 1 << 20, seed: 83);
        var sha256 = DiskImages.HashWith("sha256sum", file);
        var url = fixture.Storage.ServeFile($"/bucket/releases/noble-{Guid.NewGuid():n}.qcow2", file);
        var name = url.Split('/')[^1];
        var sums = Path.Combine(_folder, $"SHA256SUMS-{Guid.NewGuid():n}");
        await File.WriteAllLinesAsync(sums,
        [
            string.Format(System.Globalization.CultureInfo.InvariantCulture, format, new string('a', 64), "other.qcow2"),
            string.Format(System.Globalization.CultureInfo.InvariantCulture, format, sha256, name),
        ], TestContext.Current.CancellationToken);
        var credentials = await App.CreateAccountAsync();
        using var cli = new CliRunner(App, credentials);
        using var http = App.CreateSignedClient(credentials);

        var result = await cli.RunAsync("images", "create", "--name", "summed", "--os-distro", "ubuntu", "--url", url,
            "--checksum-file", sums, "--wait", "--interval", "0.05", "--timeout", "60");
        var id = JsonNode.Parse(result.Stdout)!["id"]!.GetValue<string>();

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"sha256:{sha256}", (await http.ImportStatusAsync(id)).VerifiedChecksum);
    }

    [Fact]
    public async Task ImportImage_WrongChecksumAndSize_Exits7WithTheMismatch()
    {
        var file = fixture.Disks.Qcow2WithData("cli-import-wrong.qcow2", 1 << 20, seed: 84);
        var url = fixture.Storage.ServeFile("/bucket/cli/import-wrong.qcow2", file);
        var credentials = await App.CreateAccountAsync();
        using var cli = new CliRunner(App, credentials);
        using var http = App.CreateSignedClient(credentials);
        var killed = await http.WaitForImportAsync((await http.CreateFromAsync(fixture.Storage.Url("/bucket/cli/absent.qcow2"))).Id);

        var result = await cli.RunAsync("images", "import", killed.Id, "--url", url, "--size", "12345",
            "--wait", "--interval", "0.05", "--timeout", "60");

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("size_mismatch", (await http.ImportStatusAsync(killed.Id)).Error?.Code);
    }

    [Theory]
    [InlineData("--checksum", "sha256:abc")]
    [InlineData("--checksum-file", "missing-line")]
    [InlineData("--file", "both")]
    public async Task CreateImage_BadExpectedDataOptions_ExitsWithUsageBeforeAnyRequest(string option, string value)
    {
        var sums = Path.Combine(_folder, "SUMS");
        await File.WriteAllTextAsync(sums, $"{new string('a', 64)}  other.qcow2\n", TestContext.Current.CancellationToken);
        using var cli = await CliRunner.ForNewAccountAsync(App);

        var result = await cli.RunAsync("images", "create", "--name", "bad", "--os-distro", "ubuntu", "--url", fixture.Storage.Url("/bucket/x.qcow2"),
            option, option == "--checksum-file" ? sums : option == "--file" ? sums : value);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(cli.Requests, r => r.StartsWith("POST", StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
