using System.Text.Json.Nodes;
using ImageService.Cli;
using ImageService.Tests.Imports;

namespace ImageService.Tests.Cli;

// create --wait, import and download through real imports: the worker is on and downloads real
// qcow2 files (made with qemu-img) from a loopback Object Storage server.
public sealed class ImportCommandsTests(ImportFixture fixture) : IClassFixture<ImportFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("imagectl-import-").FullName;

    private ImageServiceApp App => fixture.App;

    [Fact]
    public async Task CreateImage_WaitForARealImport_ExitsZeroWithTheActiveImage()
    {
        var file = fixture.Disks.Qcow2WithData("cli-waited.qcow2", 400_000, seed: 31);
        var url = fixture.Storage.ServeFile("/bucket/cli/waited.qcow2", file);
        var length = new FileInfo(file).Length;
        using var cli = await CliRunner.ForNewAccountAsync(App);

        var result = await cli.RunAsync("images", "create", "--name", "imported", "--os-distro", "ubuntu", "--url", url,
            "--wait", "--interval", "0.05", "--timeout", "60");
        var image = JsonNode.Parse(result.Stdout)!;
        var id = image["id"]!.GetValue<string>();

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("active", image["status"]!.GetValue<string>());
        Assert.Equal(length, image["size"]!.GetValue<long>());
        Assert.Equal(DiskImages.HashWith("md5sum", file), image["checksum"]!.GetValue<string>());
        Assert.StartsWith($"image {id}: importing", result.Stderr, StringComparison.Ordinal);
        Assert.EndsWith($"image {id}: active, {Tables.Bytes(length)} of {Tables.Bytes(length)} (100%)\n", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"GET /v1/images/{id}/import", cli.Requests);
    }

    [Fact]
    public async Task CreateImage_WaitAndTheSourceIsMissing_Exits7WithTheServicesReason()
    {
        var credentials = await App.CreateAccountAsync();
        using var cli = new CliRunner(App, credentials);
        using var http = App.CreateSignedClient(credentials);

        var result = await cli.RunAsync("images", "create", "--name", "no-source", "--os-distro", "ubuntu",
            "--url", fixture.Storage.Url("/bucket/cli/missing.qcow2"), "--wait", "--interval", "0.05", "--timeout", "60");
        var image = JsonNode.Parse(result.Stdout)!;
        var id = image["id"]!.GetValue<string>();
        var status = await http.ImportStatusAsync(id);

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("killed", image["status"]!.GetValue<string>());
        Assert.Equal("failed", status.State);
        Assert.Equal("source_not_found", status.Error!.Code);
        Assert.Contains($"error: the import of image {id} failed: {status.Error.Detail}\nhint: image {id} remains", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportImage_KilledImage_IsAcceptedWithNothingOnStdoutAndImportsTheNewUrl()
    {
        var file = fixture.Disks.Qcow2WithData("cli-second-try.qcow2", 200_000, seed: 32);
        var url = fixture.Storage.ServeFile("/bucket/cli/second-try.qcow2", file);
        using var cli = await CliRunner.ForNewAccountAsync(App);
        var killed = await cli.RunAsync("images", "create", "--name", "second-try", "--os-distro", "ubuntu",
            "--url", fixture.Storage.Url("/bucket/cli/gone.qcow2"), "--wait", "--interval", "0.05", "--timeout", "60");
        var id = JsonNode.Parse(killed.Stdout)!["id"]!.GetValue<string>();

        var imported = await cli.RunAsync("images", "import", id, "--url", url);
        var waited = await cli.RunAsync("images", "wait", id, "--interval", "0.05", "--timeout", "60");
        var image = JsonNode.Parse(waited.Stdout)!;

        Assert.Equal(7, killed.ExitCode);
        Assert.Equal(0, imported.ExitCode);
        Assert.Equal("", imported.Stdout);
        Assert.Contains($"POST /v1/images/{id}/import", cli.Requests);
        Assert.Equal(0, waited.ExitCode);
        Assert.Equal("active", image["status"]!.GetValue<string>());
        Assert.Equal(url, image["url"]!.GetValue<string>());
        Assert.Equal(new FileInfo(file).Length, image["size"]!.GetValue<long>());
    }

    [Fact]
    public async Task DownloadImage_ImportedImage_WritesTheBytesTheServiceStored()
    {
        var file = fixture.Disks.Qcow2WithData("cli-download.qcow2", 300_000, seed: 33);
        var url = fixture.Storage.ServeFile("/bucket/cli/download.qcow2", file);
        using var cli = await CliRunner.ForNewAccountAsync(App);
        var created = await cli.RunAsync("images", "create", "--name", "downloadable", "--os-distro", "ubuntu", "--url", url,
            "--wait", "--interval", "0.05", "--timeout", "60");
        var image = JsonNode.Parse(created.Stdout)!;
        var target = Path.Combine(_folder, "downloaded.qcow2");

        var result = await cli.RunAsync("images", "download", image["id"]!.GetValue<string>(), "-o", target, "--output", "table");

        Assert.Equal(0, created.ExitCode);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken),
            await File.ReadAllBytesAsync(target, TestContext.Current.CancellationToken));
        Assert.False(File.Exists(target + ".partial"));
        Assert.EndsWith($"MD5 {DiskImages.HashWith("md5sum", file)}.\n", result.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
