using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ImageService.Tests.Images;

namespace ImageService.Tests.Cli;

// `images wait` and `images create --wait` follow the image's status until active or killed. Until
// the import worker lands, the tests move the image along in the database, as the worker will.
public sealed partial class WaitCommandTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    [Fact]
    public async Task WaitImage_ImportSucceeds_PrintsAPlainLinePerStepAndExitsZero()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var id = await CreateAsync(cli);
        MoveAlongOnEachShow(cli, id, "importing", "active");

        var result = await cli.RunAsync("images", "wait", id, "--interval", "0");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"image {id}: importing\nimage {id}: active\n", result.Stderr);
        Assert.Equal("active", JsonNode.Parse(result.Stdout)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task WaitImage_ImageKilled_Exits7WithTheReasonOnStderr()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var id = await CreateAsync(cli);
        MoveAlongOnEachShow(cli, id, "importing", "killed");

        var result = await cli.RunAsync("images", "wait", id, "--interval", "0");

        Assert.Equal(7, result.ExitCode);
        Assert.Contains($"image {id}: killed\n", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"error: the import of image {id} failed: the image's status is killed.", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("killed", JsonNode.Parse(result.Stdout)!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateImage_WaitUntilActive_ExitsZeroAndPrintsTheActiveImage()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        cli.BeforeSend = async request =>
        {
            if (request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.Split('/') is [_, "v1", "images", var id])
            {
                await app.SetImageStatusAsync(id, "active");
            }
        };

        var result = await cli.RunAsync("images", "create", "--name", "waited", "--os-distro", "ubuntu", "--url", ImageRequests.Url, "--wait", "--interval", "0");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("active", JsonNode.Parse(result.Stdout)!["status"]!.GetValue<string>());
        Assert.EndsWith(": active\n", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateImage_WaitAndImportFails_Exits7()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        cli.BeforeSend = async request =>
        {
            if (request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.Split('/') is [_, "v1", "images", var id])
            {
                await app.SetImageStatusAsync(id, "killed");
            }
        };

        var result = await cli.RunAsync("images", "create", "--name", "doomed", "--os-distro", "ubuntu", "--url", ImageRequests.Url, "--wait", "--interval", "0");

        Assert.Equal(7, result.ExitCode);
        Assert.Contains("failed", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("remains, with status killed and no data. Import it again with: imagectl images import ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("or delete it with: imagectl images delete ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitImage_StderrIsTerminal_DrawsAProgressBarInsteadOfLines()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var id = await CreateAsync(cli);
        MoveAlongOnEachShow(cli, id, "importing", "active");
        cli.ErrorIsTerminal = true;

        var result = await cli.RunAsync("images", "wait", id, "--interval", "0");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain($"image {id}: queued\n", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("\u001b[", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(40)]
    [InlineData(80)]
    [InlineData(200)]
    public async Task WaitImage_TerminalOfWidth_EveryFrameFitsOnOneLine(int width)
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var id = await CreateAsync(cli);
        MoveAlongOnEachShow(cli, id, "importing", "importing", "active");
        cli.ErrorIsTerminal = true;
        cli.ErrorWidth = width;

        var result = await cli.RunAsync("images", "wait", id, "--interval", "0");
        var frames = AnsiSequence().Replace(result.Stderr, "\n").Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(0, result.ExitCode);
        Assert.NotEmpty(frames);
        Assert.All(frames, frame => Assert.True(frame.TrimEnd().Length < width, $"{frame.Length} columns: '{frame}'"));
        Assert.Contains(frames, frame => frame.Contains("active", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WaitImage_CtrlC_Exits130AndSaysTheImportGoesOn()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var id = await CreateAsync(cli);
        using var ctrlC = new CancellationTokenSource();
        cli.Interrupt = ctrlC.Token;
        cli.BeforeSend = async _ =>
        {
            await ctrlC.CancelAsync();
        };

        var result = await cli.RunAsync("images", "wait", id, "--interval", "0");

        Assert.Equal(130, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.EndsWith($"Stopped waiting. The import of image {id} goes on in the service; follow it again with: imagectl images wait {id}\n",
            result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitImage_TimeoutPassedWhileImporting_Exits1AndSaysHowToGoOn()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var id = await CreateAsync(cli);

        var result = await cli.RunAsync("images", "wait", id, "--interval", "0", "--timeout", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.EndsWith($"error: Gave up waiting after 0 s; image {id} is still importing. Follow it with: imagectl images wait {id}\n", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitImage_Missing_Exits4()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);

        var result = await cli.RunAsync("images", "wait", "70a599e0-31e7-49b7-b260-868f441e862b", "--interval", "0");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("image_not_found", result.Stderr, StringComparison.Ordinal);
    }

    private static async Task<string> CreateAsync(CliRunner cli)
    {
        var created = await cli.RunAsync("images", "create", "--name", "followed", "--os-distro", "ubuntu", "--url", ImageRequests.Url);
        return JsonNode.Parse(created.Stdout)!["id"]!.GetValue<string>();
    }

    // Each showImage after the first finds the image one status further along.
    private void MoveAlongOnEachShow(CliRunner cli, string imageId, params string[] statuses)
    {
        var shows = 0;
        cli.BeforeSend = async request =>
        {
            if (request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath == $"/v1/images/{imageId}" && shows++ > 0)
            {
                await app.SetImageStatusAsync(imageId, statuses[Math.Min(shows - 2, statuses.Length - 1)]);
            }
        };
    }

    // CSI sequences (cursor moves, erases, colours) that a live display writes between frames.
    [GeneratedRegex("\u001b\\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiSequence();
}
