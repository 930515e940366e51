namespace ImageService.Tests.Imports;

// A source whose connection drops mid-body: with ranges the import goes on where it broke (Range and
// If-Range) and the image is exactly the source's bytes, fetched about once; without ranges, or when
// the object changed, or when the source ignores If-Range, it fails and keeps nothing.
public sealed class ImportResumeTests : IAsyncLifetime
{
    private const int DataBytes = 4 << 20;
    private readonly DiskImages _disks = new();
    private ObjectStorageServer _storage = null!;
    private string _file = null!;
    private byte[] _bytes = null!;

    public async ValueTask InitializeAsync()
    {
        _storage = await ObjectStorageServer.StartAsync();
        _file = _disks.Qcow2WithData("resume.qcow2", DataBytes, seed: 41);
        _bytes = await File.ReadAllBytesAsync(_file, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(new long[] { 1 })]
    [InlineData(new long[] { 65536 })]
    [InlineData(new long[] { (1 << 20) + 7, 3 << 20 })]
    [InlineData(new long[] { 100_000, 2 << 20, (4 << 20) - 3 })]
    public async Task CreateImage_ConnectionDropsMidBody_ResumesWhereItBrokeAndCountsTheResumes(long[] drops)
    {
        var source = new RangeSource(_bytes).DropAt(drops);
        using var app = App();
        using var client = await app.CreateAccountClientAsync();

        var image = await client.WaitForImportAsync((await client.CreateFromAsync(Serve(source))).Id);
        var status = await client.ImportStatusAsync(image.Id);

        Assert.Equal("active", image.Status);
        Assert.Equal(DiskImages.HashWith("md5sum", _file), image.Checksum);
        Assert.Equal(DiskImages.HashWith("sha512sum", _file), image.OsHashValue);
        Assert.Equal(drops.Length, status.Resumes);
        Assert.Equal(drops.Length + 1, source.Requests);
        Assert.Equal(source.Dropped, source.Starts.Skip(1));
        Assert.True(source.BytesSent <= _bytes.Length + (drops.Length * (256L << 10)),
            $"sent {source.BytesSent} of {_bytes.Length}; starts {string.Join(',', source.Starts)}; drops {string.Join(',', source.Dropped)}");
    }

    [Fact]
    public async Task CreateImage_DropsFromSourceWithoutRanges_EndsKilledAsSourceInterrupted()
    {
        var source = new RangeSource(_bytes) { Ranges = false }.DropAt(1 << 20);

        var (status, stored) = await ImportFailingAsync(source);

        Assert.Equal("source_interrupted", status.Error?.Code);
        Assert.Equal(0, status.Resumes);
        Assert.Equal(1, source.Requests);
        Assert.Empty(stored);
    }

    [Fact]
    public async Task CreateImage_ObjectChangesBeforeTheResume_EndsKilledAsSourceChanged()
    {
        var source = new RangeSource(_bytes) { ChangesAfterRequests = 1 }.DropAt(1 << 20);

        var (status, stored) = await ImportFailingAsync(source);

        Assert.Equal("source_changed", status.Error?.Code);
        Assert.Equal(2, source.Requests);
        Assert.Empty(stored);
    }

    [Fact]
    public async Task CreateImage_SourceIgnoresIfRange_EndsKilledAsSourceChangedRatherThanSplicing()
    {
        var source = new RangeSource(_bytes) { IgnoreIfRange = true }.DropAt(1 << 20);

        var (status, stored) = await ImportFailingAsync(source);

        Assert.Equal("source_changed", status.Error?.Code);
        Assert.Equal(2, source.Requests);
        Assert.Empty(stored);
    }

    [Fact]
    public async Task CreateImage_DropsMoreOftenThanMaxResumes_EndsKilledNamingTheSetting()
    {
        var source = new RangeSource(_bytes).DropAt(1 << 20, 2 << 20, 3 << 20);

        var (status, stored) = await ImportFailingAsync(source, maxResumes: 2);

        Assert.Equal("source_interrupted", status.Error?.Code);
        Assert.Contains("Import:MaxResumes", status.Error?.Detail, StringComparison.Ordinal);
        Assert.Equal(2, status.Resumes);
        Assert.Empty(stored);
    }

    public async ValueTask DisposeAsync()
    {
        await _storage.DisposeAsync();
        _disks.Dispose();
    }

    private async Task<(Protocol.Imports.ImportStatusResponse Status, string[] Stored)> ImportFailingAsync(RangeSource source, int maxResumes = 10)
    {
        using var app = App(maxResumes);
        using var client = await app.CreateAccountClientAsync();
        var image = await client.WaitForImportAsync((await client.CreateFromAsync(Serve(source))).Id);
        Assert.Equal("killed", image.Status);
        return (await client.ImportStatusAsync(image.Id), await app.StoredDataOfAsync(image.Id));
    }

    private ImageServiceApp App(int maxResumes = 10)
    {
        var settings = ImportFixture.Settings(_storage);
        settings["Import:ResumeDelay"] = "00:00:00.050";
        settings["Import:MaxResumes"] = maxResumes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ImageServiceApp.Create(settings: settings);
    }

    private string Serve(RangeSource source) => _storage.Serve($"/bucket/{Guid.NewGuid():N}.qcow2", source.HandleAsync);
}
