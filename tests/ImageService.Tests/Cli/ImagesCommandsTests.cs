using System.Text.Json.Nodes;
using ImageService.Tests.Images;

namespace ImageService.Tests.Cli;

public sealed class ImagesCommandsTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    [Fact]
    public async Task CreateImage_JsonOutput_PrintsTheServicesExactJson()
    {
        var credentials = await app.CreateAccountAsync();
        using var cli = new CliRunner(app, credentials);
        using var http = app.CreateSignedClient(credentials);

        var result = await cli.RunAsync("images", "create", "--name", "cli image", "--os-distro", "ubuntu", "--url", ImageRequests.Url);
        var id = JsonNode.Parse(result.Stdout)!["id"]!.GetValue<string>();
        var shown = await http.GetStringAsync($"/v1/images/{id}", TestContext.Current.CancellationToken);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(shown + "\n", result.Stdout);
        Assert.Equal("", result.Stderr);
        Assert.Equal(["POST /v1/images"], cli.Requests);
    }

    [Fact]
    public async Task ShowImage_TableOutput_ListsEveryFieldTheServiceSent()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var id = await CreateAsync(cli, "table-image");

        var result = await cli.RunAsync("images", "show", id, "--output", "table");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("FIELD", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("table-image", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("scp_gpu_driver", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(id, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListImages_StdoutIsTerminal_PrintsATable()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        await CreateAsync(cli, "terminal-image");
        cli.OutIsTerminal = true;

        var result = await cli.RunAsync("images", "list");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("NAME", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("terminal-image", result.Stdout, StringComparison.Ordinal);
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => JsonNode.Parse(result.Stdout));
    }

    [Fact]
    public async Task ListImages_StdoutRedirected_PrintsTheServicesJson()
    {
        var credentials = await app.CreateAccountAsync();
        using var cli = new CliRunner(app, credentials);
        using var http = app.CreateSignedClient(credentials);
        await CreateAsync(cli, "json-image");

        var result = await cli.RunAsync("images", "list", "--name", "json-image", "--sort", "name:asc");
        var direct = await http.GetStringAsync("/v1/images?name=json-image&sort=name%3Aasc", TestContext.Current.CancellationToken);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(direct + "\n", result.Stdout);
        Assert.Equal(["GET /v1/images?sort=name%3Aasc&name=json-image"], cli.Requests.Skip(1));
    }

    [Fact]
    public async Task ListImages_All_FollowsMarkersToTheLastPage()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await CreateAsync(cli, $"paged-{i}"));
        }

        cli.Requests.Clear();

        var result = await cli.RunAsync("images", "list", "--all", "--limit", "2", "--sort", "name:asc", "--output", "json");
        var images = JsonNode.Parse(result.Stdout)!["images"]!.AsArray();

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(created, images.Select(i => i!["id"]!.GetValue<string>()));
        Assert.Equal(3, cli.Requests.Count);
        Assert.Equal($"GET /v1/images?limit=2&marker={created[3]}&sort=name%3Aasc", cli.Requests[2]);
    }

    [Fact]
    public async Task ListImages_All_KeepsEveryImageExactlyAsTheServiceSentIt()
    {
        var credentials = await app.CreateAccountAsync();
        using var cli = new CliRunner(app, credentials);
        using var http = app.CreateSignedClient(credentials);
        await CreateAsync(cli, "exact-a");
        await CreateAsync(cli, "exact-b");

        var result = await cli.RunAsync("images", "list", "--all", "--limit", "1", "--output", "json");
        var direct = await http.GetStringAsync("/v1/images?limit=1000", TestContext.Current.CancellationToken);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(direct + "\n", result.Stdout);
    }

    [Fact]
    public async Task ListImages_LimitOutOfRange_ExitsUsageWithTheEnvelopesDetail()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);

        var result = await cli.RunAsync("images", "list", "--limit", "5000");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("limit must be a whole number from 1 to 1000.", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("invalid_limit", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowImage_Missing_Exits4WithTheDetailOnStderr()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);

        var result = await cli.RunAsync("images", "show", "70a599e0-31e7-49b7-b260-868f441e862b");

        Assert.Equal(4, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal("error: Image 70a599e0-31e7-49b7-b260-868f441e862b could not be found. (404 image_not_found)\n", result.Stderr);
    }

    [Fact]
    public async Task UpdateImage_Protected_MakesDeleteExitConflict()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var id = await CreateAsync(cli, "protected-image");

        var protect = await cli.RunAsync("images", "update", id, "--protected", "--min-disk", "40");
        var refused = await cli.RunAsync("images", "delete", id);
        var unprotect = await cli.RunAsync("images", "update", id, "--protected", "false");
        var deleted = await cli.RunAsync("images", "delete", id, "--output", "table");
        var gone = await cli.RunAsync("images", "show", id);

        Assert.Equal(0, protect.ExitCode);
        Assert.True(JsonNode.Parse(protect.Stdout)!["protected"]!.GetValue<bool>());
        Assert.Equal(40, JsonNode.Parse(protect.Stdout)!["min_disk"]!.GetValue<int>());
        Assert.Equal(5, refused.ExitCode);
        Assert.Contains("image_protected", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, unprotect.ExitCode);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Equal($"Deleted image {id}.\n", deleted.Stdout);
        Assert.Equal(4, gone.ExitCode);
    }

    [Fact]
    public async Task DeleteImage_JsonOutput_PrintsNothingAsTheServiceSentNothing()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);
        var id = await CreateAsync(cli, "deleted-image");

        var result = await cli.RunAsync("images", "delete", id);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task CreateImage_WithTagsAndVisibility_SendsThemToTheService()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);

        var result = await cli.RunAsync("images", "create", "--name", "tagged", "--os-distro", "rocky", "--url", ImageRequests.Url,
            "--visibility", "shared", "--min-ram", "512", "--tag", "team=web", "--tag", "flag");
        var image = JsonNode.Parse(result.Stdout)!;

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("shared", image["visibility"]!.GetValue<string>());
        Assert.Equal(512, image["min_ram"]!.GetValue<int>());
        Assert.Equal("rocky", image["os_distro"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateImage_InvalidNameAndOsDistro_ExitsUsageNamingBothRulesWithoutCallingTheService()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);

        var result = await cli.RunAsync("images", "create", "--name", "ubuntu-24.04", "--os-distro", "sles", "--url", ImageRequests.Url);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(
            "error: --name 'ubuntu-24.04': '.' is not allowed in a name: use letters a-z, A-Z, digits, '-', '_' or spaces.\n" +
            "error: --os-distro 'sles' is not one of API version 1.3's: alma, centos, rhel, rocky, ubuntu, windows, oracle.\n",
            result.Stderr);
        Assert.Empty(cli.Requests);
    }

    [Fact]
    public async Task CreateImage_MissingUrl_ExitsUsageWithoutCallingTheService()
    {
        using var cli = await CliRunner.ForNewAccountAsync(app);

        var result = await cli.RunAsync("images", "create", "--name", "no-url", "--os-distro", "ubuntu");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--url", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Run 'imagectl images create --help' for usage.", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(cli.Requests);
    }

    private static async Task<string> CreateAsync(CliRunner cli, string name)
    {
        var result = await cli.RunAsync("images", "create", "--name", name, "--os-distro", "ubuntu", "--url", ImageRequests.Url, "--output", "json");
        Assert.Equal(0, result.ExitCode);
        return JsonNode.Parse(result.Stdout)!["id"]!.GetValue<string>();
    }
}
