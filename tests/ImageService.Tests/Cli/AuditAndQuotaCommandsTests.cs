using System.Text.Json.Nodes;
using ImageService.Tests.Images;

namespace ImageService.Tests.Cli;

// imagectl audit list and imagectl quota show, against the real service.
public sealed class AuditAndQuotaCommandsTests : IDisposable
{
    private readonly ImageServiceApp _app = ImageServiceApp.Create(settings: new Dictionary<string, string?> { ["Quotas:MaxImagesPerAccount"] = "5" });

    [Fact]
    public async Task AuditList_ImageAndSince_PrintsThatImagesEventsNewestFirst()
    {
        using var cli = await CliRunner.ForNewAccountAsync(_app);
        var created = JsonNode.Parse((await cli.RunAsync("images", "create", "--name", "audited", "--os-distro", "ubuntu", "--url", ImageRequests.Url)).Stdout)!;
        var imageId = created["id"]!.GetValue<string>();
        await cli.RunAsync("images", "update", imageId, "--min-disk", "3");
        await cli.RunAsync("images", "create", "--name", "other", "--os-distro", "ubuntu", "--url", ImageRequests.Url);

        var result = await cli.RunAsync("audit", "list", "--image", imageId, "--since", "1h");
        var table = await cli.RunAsync("--output", "table", "audit", "list", "--limit", "1");
        var bad = await cli.RunAsync("audit", "list", "--since", "last tuesday");

        Assert.Equal(0, result.ExitCode);
        var events = JsonNode.Parse(result.Stdout)!["audit_events"]!.AsArray();
        Assert.Equal(["updateImage", "createImage"], events.Select(e => e!["operation"]!.GetValue<string>()));
        Assert.All(events, e => Assert.Equal(imageId, e!["image_id"]!.GetValue<string>()));
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("OPERATION", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("createImage", table.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--since takes an RFC 3339 time", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuotaShow_TableAndJson_PrintUseAgainstTheLimits()
    {
        using var cli = await CliRunner.ForNewAccountAsync(_app);
        await cli.RunAsync("images", "create", "--name", "counted", "--os-distro", "ubuntu", "--url", ImageRequests.Url);

        var json = await cli.RunAsync("quota", "show");
        var table = await cli.RunAsync("--output", "table", "quota", "show");

        Assert.Equal(0, json.ExitCode);
        var quota = JsonNode.Parse(json.Stdout)!;
        Assert.Equal((1, 5), (quota["images"]!["used"]!.GetValue<long>(), quota["images"]!["limit"]!.GetValue<long>()));
        Assert.Null(quota["bytes"]!["limit"]);
        Assert.Equal(0, table.ExitCode);
        Assert.Matches(@"images\s+1\s+5", table.Stdout);
        Assert.Matches(@"bytes\s+0 B\s+unlimited", table.Stdout);
    }

    public void Dispose() => _app.Dispose();
}
