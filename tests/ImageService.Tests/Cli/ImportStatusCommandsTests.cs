using System.Text.Json.Nodes;
using ImageService.Api.Data;
using ImageService.Api.Imports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Cli;

// import, wait and download for the states an import passes through, set in the database. The
// import worker is off in this app (ImageServiceApp's default), so nothing but the test moves the
// rows; ImportCommandsTests runs real imports end to end.
public sealed class ImportStatusCommandsTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>, IDisposable
{
    private const string SourceUrl = "https://object-store.example.com/bucket/cli/source.qcow2";

    private readonly string _folder = Directory.CreateTempSubdirectory("imagectl-import-").FullName;

    [Fact]
    public async Task WaitImage_ImportRunning_ReportsBytesFromTheImportStatus()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var id = await CreateAsync(cli);
        await SetImportAsync(id, ImportState.Running, bytesDone: 150_000, bytesTotal: 300_000, imageStatus: "importing");
        var shows = 0;
        cli.BeforeSend = async request =>
        {
            if (request.RequestUri!.AbsolutePath == $"/v1/images/{id}" && ++shows == 2)
            {
                await SetImportAsync(id, ImportState.Succeeded, bytesDone: 300_000, bytesTotal: 300_000, imageStatus: "active");
            }
        };

        var result = await cli.RunAsync("images", "wait", id, "--interval", "0", "--timeout", "60");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"image {id}: importing, 146.5 KiB of 293.0 KiB (50%)\nimage {id}: active, 293.0 KiB of 293.0 KiB (100%)\n", result.Stderr);
    }

    [Fact]
    public async Task WaitImage_ImportFailed_Exits7WithTheImportErrorDetail()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var id = await CreateAsync(cli);
        await SetImportAsync(id, ImportState.Failed, bytesDone: 0, bytesTotal: null, imageStatus: "killed",
            error: ("source_not_found", "The source URL answered 404 Not Found."));

        var result = await cli.RunAsync("images", "wait", id, "--interval", "0", "--timeout", "60");

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("killed", JsonNode.Parse(result.Stdout)!["status"]!.GetValue<string>());
        Assert.Contains($"error: the import of image {id} failed: The source URL answered 404 Not Found.\nhint: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitImage_ImportFailsBetweenChecks_Exits7WithTheImportErrorDetail()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var id = await CreateAsync(cli);
        await SetImportAsync(id, ImportState.Running, bytesDone: 150_000, bytesTotal: 300_000, imageStatus: "importing");
        var shows = 0;
        cli.BeforeSend = async request =>
        {
            if (request.RequestUri!.AbsolutePath == $"/v1/images/{id}" && ++shows == 2)
            {
                await SetImportAsync(id, ImportState.Failed, bytesDone: 150_000, bytesTotal: 300_000, imageStatus: "killed",
                    error: ("source_interrupted", "The source closed the connection after 150000 bytes."));
            }
        };

        var result = await cli.RunAsync("images", "wait", id, "--interval", "0", "--timeout", "60");

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("killed", JsonNode.Parse(result.Stdout)!["status"]!.GetValue<string>());
        Assert.Contains($"error: the import of image {id} failed: The source closed the connection after 150000 bytes.\nhint: ", result.Stderr,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportImage_ImageActive_ExitsConflictWithImageHasData()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var id = await CreateAsync(cli);
        await SetImportAsync(id, ImportState.Succeeded, bytesDone: 300_000, bytesTotal: 300_000, imageStatus: "active");

        var result = await cli.RunAsync("images", "import", id, "--url", SourceUrl);

        Assert.Equal(5, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("(409 image_has_data)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportImage_UrlNotQcow2_ExitsUsageWithTheEnvelopesDetail()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var id = await CreateAsync(cli);

        var result = await cli.RunAsync("images", "import", id, "--url", "https://object-store.example.com/bucket/disk.raw");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("qcow2", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("(400 invalid_url)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DownloadImage_ImageStillImporting_ExitsConflictAndLeavesNoFile()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var id = await CreateAsync(cli);
        var target = Path.Combine(_folder, "importing.qcow2");

        var result = await cli.RunAsync("images", "download", id, "-o", target);

        Assert.Equal(5, result.ExitCode);
        Assert.Contains("(409 image_not_active)", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(target + ".partial"));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static async Task<string> CreateAsync(CliRunner cli)
    {
        var created = await cli.RunAsync("images", "create", "--name", "followed", "--os-distro", "ubuntu", "--url", SourceUrl);
        Assert.Equal(0, created.ExitCode);
        return JsonNode.Parse(created.Stdout)!["id"]!.GetValue<string>();
    }

    // Puts the image's import job (created with the image) and the image in a given state, leased
    // as a running import on a node would hold it. The image row and the job change together, as
    // the worker changes them in one transaction.
    private async Task SetImportAsync(string imageId, string state, long bytesDone, long? bytesTotal, string imageStatus, (string Code, string Detail)? error = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        var ct = TestContext.Current.CancellationToken;
        var now = app.Time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var job = await db.ImportJobs.Where(j => j.ImageId == imageId).OrderByDescending(j => j.Id).FirstAsync(ct);
        job.State = state;
        job.BytesDone = bytesDone;
        job.BytesTotal = bytesTotal;
        job.StartedAt ??= now;
        job.UpdatedAt = now;
        job.LeaseOwner = "test";
        job.LeaseExpiresAt = now.AddHours(1);
        job.ErrorCode = error?.Code;
        job.ErrorDetail = error?.Detail;
        await db.SaveChangesAsync(ct);
        await db.Images.Where(i => i.Id == imageId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, imageStatus), ct);
        await transaction.CommitAsync(ct);
    }
}
