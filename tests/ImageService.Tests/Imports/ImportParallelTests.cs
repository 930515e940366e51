namespace ImageService.Tests.Imports;

// A large object from a source that answers ranges comes over several connections at once and is
// put back in order, however the ranges complete; a range whose connection drops goes on alone; an
// object that changes between ranges fails rather than splicing; a source without ranges is read
// as one stream.
public sealed class ImportParallelTests : IAsyncLifetime
{
    private const int DataBytes = 6 << 20;
    private readonly DiskImages _disks = new();
    private ObjectStorageServer _storage = null!;
    private string _file = null!;
    private byte[] _bytes = null!;

    public async ValueTask InitializeAsync()
    {
        _storage = await ObjectStorageServer.StartAsync();
        _file = _disks.Qcow2WithData("parallel.qcow2", DataBytes, seed: 43);
        _bytes = await File.ReadAllBytesAsync(_file, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task CreateImage_FirstRangeAnswersLast_ReassemblesInOrderOverFourConnections()
    {
        var source = new RangeSource(_bytes) { FirstBytesDelay = TimeSpan.FromMilliseconds(700), HoldUntilInFlight = 4 };

        var (image, status) = await ImportAsync(source);

        AssertExactCopy(image);
        Assert.Equal(4, source.MostInFlight);
        Assert.NotEqual(0L, source.Finished[0]);
        Assert.Equal((_bytes.Length + (1 << 20) - 1) >> 20, source.Requests);
        Assert.Equal(0, status.Resumes);
    }

    [Fact]
    public async Task CreateImage_ConnectionsDropInTwoRanges_ResumesEachRangeOnItsOwn()
    {
        // One drop in the first answer (which serves the first range), one in a later range. A drop
        // past the first range would be reached by the first answer's body, which the service stops
        // reading after that range but the source goes on writing into the socket for a while.
        var source = new RangeSource(_bytes).DropAt(1 << 19, (5 << 20) + 3);

        var (image, status) = await ImportAsync(source);

        AssertExactCopy(image);
        Assert.Equal(2, status.Resumes);
        Assert.InRange(source.BytesSent, _bytes.Length, _bytes.Length + (2L << 20));
    }

    [Fact]
    public async Task CreateImage_ObjectChangesBetweenRanges_EndsKilledAsSourceChanged()
    {
        var source = new RangeSource(_bytes) { ChangesAfterRequests = 2 };

        var (image, status) = await ImportAsync(source);

        Assert.Equal("killed", image.Status);
        Assert.Equal("source_changed", status.Error?.Code);
    }

    [Fact]
    public async Task CreateImage_OneConnectionCannotKeepUp_GoesParallelForTheRestAfterTheProbe()
    {
        // 64 KiB every 100 ms: the reader waits for the source nearly all the time over the 256 KiB
        // probe, so the rest comes over several connections, the open one serving the first range.
        var source = new RangeSource(_bytes) { TrickleFirst = 64 << 10 };

        var (image, status) = await ImportAsync(source, probeBytes: 256 << 10);

        AssertExactCopy(image);
        Assert.True(source.Requests > 1, $"{source.Requests} request(s)");
        Assert.True(source.MostInFlight > 1, $"at most {source.MostInFlight} at once");
        Assert.Equal(0, status.Resumes);
        Assert.Equal(0L, source.Starts[0]);
        Assert.DoesNotContain(0L, source.Starts.Skip(1));
    }

    [Theory]
    [InlineData(900, 1000, true)]
    [InlineData(500, 1000, true)]
    [InlineData(499, 1000, false)]
    [InlineData(0, 1000, false)]
    [InlineData(0, 0, false)]
    public void IsSourceBound_HalfOfTheStretchWaitingOnTheSourceOrMore(int waitedMs, int elapsedMs, bool expected) =>
        Assert.Equal(expected, ImageService.Api.Imports.Sources.AdaptiveSourceStream.IsSourceBound(
            TimeSpan.FromMilliseconds(waitedMs), TimeSpan.FromMilliseconds(elapsedMs)));

    [Fact]
    public async Task CreateImage_LargeObjectWithoutRanges_IsReadAsOneStream()
    {
        var source = new RangeSource(_bytes) { Ranges = false };

        var (image, _) = await ImportAsync(source);

        AssertExactCopy(image);
        Assert.Equal(1, source.Requests);
    }

    public async ValueTask DisposeAsync()
    {
        await _storage.DisposeAsync();
        _disks.Dispose();
    }

    // probeBytes 0 (the tests above) goes parallel from the first byte, whatever the machine's speed.
    private async Task<(Protocol.Images.ImageShowResponseV1Dot2 Image, Protocol.Imports.ImportStatusResponse Status)> ImportAsync(
        RangeSource source, int probeBytes = 0)
    {
        var settings = ImportFixture.Settings(_storage);
        settings["Import:ResumeDelay"] = "00:00:00.050";
        settings["Import:ParallelThresholdBytes"] = (1 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Import:ParallelRangeBytes"] = (1 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Import:ParallelProbeBytes"] = probeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var app = ImageServiceApp.Create(settings: settings);
        using var client = await app.CreateAccountClientAsync();
        var url = _storage.Serve($"/bucket/{Guid.NewGuid():N}.qcow2", source.HandleAsync);
        var image = await client.WaitForImportAsync((await client.CreateFromAsync(url)).Id);
        var status = await client.ImportStatusAsync(image.Id);
        if (image.Status != "active")
        {
            Assert.Empty(await app.StoredDataOfAsync(image.Id));
        }

        return (image, status);
    }

    private void AssertExactCopy(Protocol.Images.ImageShowResponseV1Dot2 image)
    {
        Assert.Equal("active", image.Status);
        Assert.Equal(DiskImages.HashWith("md5sum", _file), image.Checksum);
        Assert.Equal(DiskImages.HashWith("sha512sum", _file), image.OsHashValue);
        Assert.Equal(_bytes.Length, image.Size);
    }
}
