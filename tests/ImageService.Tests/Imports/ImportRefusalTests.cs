using System.Net;
using System.Net.Http.Json;
using ImageService.Protocol;
using ImageService.Protocol.Images;

namespace ImageService.Tests.Imports;

public sealed class ImportRefusalTests(ImportFixture fixture) : IClassFixture<ImportFixture>
{
    private static readonly string[] TruncationCodes = ["source_interrupted", "length_mismatch"];

    private ImageServiceApp App => fixture.App;

    public static TheoryData<string> HostileFiles => ["backing_file", "external_data_file", "raw", "vmdk", "vpc", "iso_polyglot"];

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public async Task CreateImage_HostileOrForeignFile_EndsKilledWithReasonAndNoData(string kind)
    {
        var (file, code) = Hostile(kind);
        var url = fixture.Storage.ServeFile($"/bucket/{kind}.qcow2", file);
        using var client = await App.CreateAccountClientAsync();

        var image = await client.WaitForImportAsync((await client.CreateFromAsync(url)).Id);
        var status = await client.ImportStatusAsync(image.Id);

        Assert.Equal("killed", image.Status);
        Assert.Null(image.Checksum);
        Assert.Null(image.Size);
        Assert.Equal("failed", status.State);
        Assert.Equal(code, status.Error?.Code);
        Assert.False(string.IsNullOrWhiteSpace(status.Error?.Detail));
        Assert.Empty(await App.StoredDataOfAsync(image.Id));
    }

    [Fact]
    public async Task CreateImage_SourceAnswers404_EndsKilledAsSourceNotFound()
    {
        using var client = await App.CreateAccountClientAsync();

        var image = await client.WaitForImportAsync((await client.CreateFromAsync(fixture.Storage.Url("/bucket/nothing-here.qcow2"))).Id);

        Assert.Equal("killed", image.Status);
        Assert.Equal("source_not_found", (await client.ImportStatusAsync(image.Id)).Error?.Code);
        Assert.Empty(await App.StoredDataOfAsync(image.Id));
    }

    [Fact]
    public async Task CreateImage_BodyShorterThanContentLength_EndsKilledAndLeavesNoData()
    {
        var head = await File.ReadAllBytesAsync(fixture.Disks.Qcow2WithData("short.qcow2", 1 << 20, seed: 4), TestContext.Current.CancellationToken);
        var url = fixture.Storage.Serve("/bucket/truncated.qcow2", async context =>
        {
            context.Response.ContentLength = head.Length + 4096;
            await context.Response.Body.WriteAsync(head);
            await context.Response.Body.FlushAsync();
            context.Abort();
        });
        using var client = await App.CreateAccountClientAsync();

        var image = await client.WaitForImportAsync((await client.CreateFromAsync(url)).Id);
        var status = await client.ImportStatusAsync(image.Id);

        Assert.Equal("killed", image.Status);
        Assert.Contains(status.Error?.Code, TruncationCodes);
        Assert.Empty(await App.StoredDataOfAsync(image.Id));
    }

    [Fact]
    public async Task CreateImage_RedirectToAnAddressNotAllowed_EndsKilledWithoutFollowingIt()
    {
        var url = fixture.Storage.Serve("/bucket/redirect.qcow2", context =>
        {
            context.Response.Redirect("http://10.0.0.1/bucket/inner.qcow2");
            return Task.CompletedTask;
        });
        var local = fixture.Storage.Serve("/bucket/redirect-local.qcow2", context =>
        {
            context.Response.Redirect($"http://localhost:{fixture.Storage.BaseUri.Port}/bucket/other.qcow2");
            return Task.CompletedTask;
        });
        using var client = await App.CreateAccountClientAsync();

        var outside = await client.WaitForImportAsync((await client.CreateFromAsync(url)).Id);
        var renamed = await client.WaitForImportAsync((await client.CreateFromAsync(local)).Id);

        Assert.Equal("killed", outside.Status);
        Assert.Equal("redirect_refused", (await client.ImportStatusAsync(outside.Id)).Error?.Code);
        Assert.Equal("killed", renamed.Status);
        Assert.Equal("redirect_refused", (await client.ImportStatusAsync(renamed.Id)).Error?.Code);
    }

    public static TheoryData<string, string> BadUrls => new()
    {
        { "http://2130706433/bucket/x.qcow2", "url_host_not_canonical" },
        { "http://0x7f000001/bucket/x.qcow2", "url_host_not_canonical" },
        { "http://0177.0.0.1/bucket/x.qcow2", "url_host_not_canonical" },
        { "http://127.1/bucket/x.qcow2", "url_host_not_canonical" },
        { "http://user:secret@127.0.0.1/bucket/x.qcow2", "url_has_user_info" },
        { "https://evil.example.net/bucket/x.qcow2", "url_source_not_allowed" },
        { "http://169.254.169.254/latest/x.qcow2", "url_source_not_allowed" },
    };

    [Theory]
    [MemberData(nameof(BadUrls))]
    public async Task CreateImage_UrlOfARefusedForm_Returns400AndStoresNothing(string url, string code)
    {
        using var client = await App.CreateAccountClientAsync();

        using var response = await client.PostAsync("/v1/images",
            ApiJson.Body(new ImageCreateRequest { Name = "refused", OsDistro = "ubuntu", Url = url }), TestContext.Current.CancellationToken);
        var list = await client.GetFromJsonAsync<ImageListResponseV1Dot3>("/v1/images", ScpJson.Options, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([code], await response.ErrorCodesAsync());
        Assert.DoesNotContain("secret", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Empty(list!.Images);
    }

    private (string File, string Code) Hostile(string kind)
    {
        var disks = fixture.Disks;
        switch (kind)
        {
            case "backing_file":
                var @base = disks.Qcow2WithData("base.qcow2", 65536);
                var child = Path.Combine(disks.Directory, "child.qcow2");
                DiskImages.QemuImg($"create -q -f qcow2 -b \"{@base}\" -F qcow2 \"{child}\"");
                return (child, "backing_file");
            case "external_data_file":
                var external = Path.Combine(disks.Directory, "external.qcow2");
                DiskImages.QemuImg($"create -q -f qcow2 -o data_file=\"{Path.Combine(disks.Directory, "external.raw")}\" \"{external}\" 1M");
                return (external, "external_data_file");
            case "raw":
                return (disks.RawFile("raw.img", 1 << 20), "not_qcow2");
            case "iso_polyglot":
                var polyglot = disks.Qcow2WithData("polyglot.qcow2", 1 << 20, seed: 5);
                using (var stream = File.OpenWrite(polyglot))
                {
                    stream.Seek(0x8001, SeekOrigin.Begin);
                    stream.Write("CD001"u8);
                }

                return (polyglot, "ambiguous_format");
            default:
                return (disks.Convert($"foreign.{kind}", disks.RawFile($"foreign-{kind}.raw", 1 << 20), kind), "not_qcow2");
        }
    }
}
