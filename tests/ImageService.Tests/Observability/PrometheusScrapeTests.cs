using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ImageService.Tests.Imports;

namespace ImageService.Tests.Observability;

// The metrics as an operator gets them: a real Prometheus from Debian scrapes the service process
// over loopback, and promtool checks the exposition and the shipped alert rules.
public sealed partial class PrometheusScrapeTests : IDisposable
{
    private readonly DiskImages _disks = new();
    private readonly string _work = Directory.CreateTempSubdirectory("imageservice-prometheus-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Prometheus_ScrapesTheServiceAfterAnImport_FindsTheImportCounter()
    {
        var file = _disks.Qcow2WithData("scraped.qcow2", 1 << 20, seed: 5);
        await using var storage = await ObjectStorageServer.StartAsync();
        var url = storage.ServeFile("/bucket/scraped.qcow2", file);
        var environment = ImportingService.Environment(Path.Combine(_work, "data"), storage);
        var key = await ServiceProcess.CreateKeyAsync(environment, "acct-metrics", ct: Ct);
        using var service = await ServiceProcess.StartAsync(environment, Ct);
        using var client = service.CreateSignedClient(key);
        var image = await client.WaitForImportAsync((await client.CreateFromAsync(url)).Id, seconds: 60);
        using var prometheus = StartPrometheus(service.Endpoint);

        var found = await Eventually.Async(
            () => QueryAsync(prometheus.Endpoint, "imageservice_imports_succeeded_total"), TimeSpan.FromSeconds(90),
            "Prometheus to scrape imageservice_imports_succeeded_total");

        Assert.Equal("active", image.Status);
        Assert.Equal("1", found);
    }

    [Fact]
    public async Task Metrics_ExpositionAfterAnImportAndADownload_PassesPromtoolAndEveryMetricIsDocumented()
    {
        var file = _disks.Qcow2WithData("checked.qcow2", 1 << 20, seed: 6);
        await using var storage = await ObjectStorageServer.StartAsync();
        var url = storage.ServeFile("/bucket/checked.qcow2", file);
        var refused = storage.ServeFile("/bucket/refused.qcow2", _disks.RawFile("refused.raw", 1 << 16));
        var environment = ImportingService.Environment(Path.Combine(_work, "data"), storage);
        var key = await ServiceProcess.CreateKeyAsync(environment, "acct-promtool", ct: Ct);
        using var service = await ServiceProcess.StartAsync(environment, Ct);
        using var client = service.CreateSignedClient(key);
        var image = await client.WaitForImportAsync((await client.CreateFromAsync(url)).Id, seconds: 60);
        var failed = await client.WaitForImportAsync((await client.CreateFromAsync(refused)).Id, seconds: 60);
        (await client.GetAsync($"/v2/images/{image.Id}/file", Ct)).Dispose();
        using var anonymous = new HttpClient { BaseAddress = service.Endpoint };
        var exposition = await anonymous.GetStringAsync("/metrics", Ct);

        var (exitCode, output) = await Tools.RunAsync("promtool", ["check", "metrics"], stdin: exposition);
        var documented = await File.ReadAllTextAsync(RepositoryFiles.PathOf("docs/operations.md"), Ct);
        var ours = OurMetric().Matches(exposition).Select(m => m.Groups["name"].Value).Distinct().ToList();

        Assert.Equal("killed", failed.Status);
        Assert.True(exitCode == 0, output);
        Assert.Equal("", output);
        Assert.Contains("imageservice_imports_failed_total{", exposition, StringComparison.Ordinal);
        Assert.Contains($"imageservice_download_bytes_total{{otel_scope_name=\"ImageService\"}} {new FileInfo(file).Length}", exposition, StringComparison.Ordinal);
        Assert.Contains("imageservice_import_duration_seconds_bucket", ours);
        Assert.All(ours.Select(BaseName), name => Assert.Contains($"`{name}`", documented, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AlertRules_Shipped_PassPromtoolCheckRules()
    {
        var (exitCode, output) = await Tools.RunAsync("promtool", ["check", "rules", RepositoryFiles.PathOf("deploy/prometheus/alerts.yml")]);

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _disks.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    // A histogram's series share the name of the metric without their _bucket, _sum or _count.
    private static string BaseName(string series) => HistogramSeries().Replace(series, "");

    private static async Task<string?> QueryAsync(Uri prometheus, string query)
    {
        try
        {
            using var http = new HttpClient { BaseAddress = prometheus };
            var answer = JsonNode.Parse(await http.GetStringAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}", Ct))!;
            return answer["data"]?["result"]?.AsArray() is [{ } first, ..] ? first["value"]![1]!.GetValue<string>() : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private RunningPrometheus StartPrometheus(Uri target)
    {
        var port = LoopbackPort.Free();
        var config = Path.Combine(_work, "prometheus.yml");
        File.WriteAllText(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: imageservice
                static_configs:
                  - targets: ["{target.Authority}"]
            """);
        var start = new ProcessStartInfo("prometheus") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(_work, "tsdb")}",
                     $"--web.listen-address=127.0.0.1:{port}",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("prometheus did not start.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RunningPrometheus(process, new Uri($"http://127.0.0.1:{port}"));
    }

    [GeneratedRegex(@"^(?<name>imageservice_[a-z_]+)[{ ]", RegexOptions.Multiline)]
    private static partial Regex OurMetric();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSeries();

    private sealed class RunningPrometheus(Process process, Uri endpoint) : IDisposable
    {
        public Uri Endpoint { get; } = endpoint;

        public void Dispose()
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            process.Dispose();
        }
    }
}
