using ImageService.Api.Imports.Inspection;

namespace ImageService.Tests.Imports.Inspection;

// Files written by the real qemu-img, fed in one chunk and in seeded random chunks, so the inspector is
// checked against the reference implementation rather than against our reading of the spec.
public sealed class DiskImageInspectorQemuTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("inspector-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Theory]
    [InlineData("10M", "compat=1.1")]
    [InlineData("10M", "compat=0.10")]
    [InlineData("1G", "cluster_size=2M")]
    [InlineData("3M", "cluster_size=512")]
    [InlineData("3M", "compat=0.10,cluster_size=512")]
    [InlineData("100G", "lazy_refcounts=on")]
    [InlineData("10M", "extended_l2=on,cluster_size=16K")]
    [InlineData("10M", "compression_type=zstd")]
    [InlineData("1000000000", "preallocation=metadata")]
    public async Task Complete_QemuCreatedQcow2_SucceedsWithQemuVirtualSize(string size, string options)
    {
        var path = PathOf("image.qcow2");
        await QemuImg.RunAsync(Token, "create", "-q", "-f", "qcow2", "-o", options, path, size);

        await AssertAcceptedWithQemuVirtualSizeAsync(path);
    }

    [Theory]
    [InlineData("compat=1.1")]
    [InlineData("compat=0.10")]
    public async Task Complete_QemuConvertedQcow2WithData_SucceedsWithQemuVirtualSize(string options)
    {
        var raw = await WriteRawAsync("disk.raw", 5 * 1024 * 1024 + 512);
        var path = PathOf("image.qcow2");
        await QemuImg.RunAsync(Token, "convert", "-q", "-f", "raw", "-O", "qcow2", "-o", options, raw, path);

        await AssertAcceptedWithQemuVirtualSizeAsync(path);
    }

    // The snapshot table and the bitmaps extension are read record by record as they stream past; every
    // chunking must find the same records.
    [Theory]
    [InlineData("snapshot -c first")]
    [InlineData("bitmap --add {0} changes")]
    public async Task Complete_QemuQcow2WithSnapshotOrBitmap_SucceedsWithQemuVirtualSize(string command)
    {
        var raw = await WriteRawAsync("disk.raw", 1024 * 1024);
        var path = PathOf("image.qcow2");
        await QemuImg.RunAsync(Token, "convert", "-q", "-f", "raw", "-O", "qcow2", raw, path);
        string[] arguments = command.Contains("{0}", StringComparison.Ordinal)
            ? string.Format(null, command, path).Split(' ')
            : [.. command.Split(' '), path];
        await QemuImg.RunAsync(Token, arguments);

        await AssertAcceptedWithQemuVirtualSizeAsync(path);
    }

    [Theory]
    [InlineData("compat=1.1")]
    [InlineData("compat=0.10")]
    public async Task Complete_QemuQcow2WithBackingFile_FailsWithBackingFile(string options)
    {
        var basePath = PathOf("base.qcow2");
        var path = PathOf("overlay.qcow2");
        await QemuImg.RunAsync(Token, "create", "-q", "-f", "qcow2", "-o", options, basePath, "10M");
        await QemuImg.RunAsync(Token, "create", "-q", "-f", "qcow2", "-o", options, "-b", basePath, "-F", "qcow2", path);

        var results = FeedEveryWay(await File.ReadAllBytesAsync(path, Token));

        Assert.All(results, result => InspectionAssert.Failed(InspectionFailureCodes.BackingFile, result));
    }

    [Theory]
    [InlineData("data_file={0}")]
    [InlineData("data_file={0},data_file_raw=on")]
    public async Task Complete_QemuQcow2WithExternalDataFile_FailsWithExternalDataFile(string options)
    {
        var path = PathOf("image.qcow2");
        var dataFile = PathOf("image.data");
        await QemuImg.RunAsync(Token, "create", "-q", "-f", "qcow2", "-o", string.Format(null, options, dataFile), path, "10M");

        var results = FeedEveryWay(await File.ReadAllBytesAsync(path, Token));

        Assert.All(results, result => InspectionAssert.Failed(InspectionFailureCodes.ExternalDataFile, result));
    }

    [Theory]
    [InlineData("vpc", "", "VHD")]
    [InlineData("vpc", "subformat=fixed,force_size=on", "VHD")]
    [InlineData("vmdk", "", "VMDK")]
    [InlineData("vmdk", "subformat=streamOptimized", "VMDK")]
    [InlineData("vdi", "", "VDI")]
    [InlineData("vhdx", "", "VHDX")]
    [InlineData("qed", "", "QED")]
    public async Task Complete_QemuConvertedOtherFormat_FailsAsNotQcow2NamingFormat(
        string format, string options, string formatName)
    {
        // 32 KiB keeps the fixed VHD, whose only cookie is in its footer, shorter than the prefix; a longer
        // fixed VHD is refused when the prefix is full, before its footer arrives, without being named.
        var raw = await WriteRawAsync("disk.raw", 32 * 1024);
        var path = PathOf("image." + format);
        string[] optionArguments = options.Length == 0 ? [] : ["-o", options];
        await QemuImg.RunAsync(Token, ["convert", "-q", "-f", "raw", "-O", format, .. optionArguments, raw, path]);

        var results = FeedEveryWay(await File.ReadAllBytesAsync(path, Token));

        Assert.All(results, result =>
        {
            var failure = InspectionAssert.Failed(InspectionFailureCodes.NotQcow2, result);
            Assert.Contains(formatName, failure.Detail, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Complete_QemuVmdkDescriptor_FailsAsNotQcow2NamingVmdk()
    {
        var path = PathOf("image.vmdk");
        await QemuImg.RunAsync(Token, "create", "-q", "-f", "vmdk", "-o", "subformat=monolithicFlat", path, "1M");

        var results = FeedEveryWay(await File.ReadAllBytesAsync(path, Token));

        Assert.All(results, result =>
        {
            var failure = InspectionAssert.Failed(InspectionFailureCodes.NotQcow2, result);
            Assert.Contains("VMDK", failure.Detail, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Complete_QemuLuksVolume_FailsAsNotQcow2NamingLuks()
    {
        var path = PathOf("image.luks");
        await QemuImg.RunAsync(
            Token,
            "create", "-q", "-f", "luks", "--object", "secret,id=sec0,data=not-a-secret",
            "-o", "key-secret=sec0,iter-time=100", path, "1M");

        var results = FeedEveryWay(await File.ReadAllBytesAsync(path, Token));

        Assert.All(results, result =>
        {
            var failure = InspectionAssert.Failed(InspectionFailureCodes.NotQcow2, result);
            Assert.Contains("LUKS", failure.Detail, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(0x8001, "CD001")]
    [InlineData(0x8801, "CD001")]
    [InlineData(0x9001, "CD001")]
    [InlineData(512, "EFI PART")]
    [InlineData(4096, "EFI PART")]
    [InlineData(-512, "conectix")]
    public async Task Complete_QemuQcow2Polyglot_FailsWithAmbiguousFormat(int offset, string signature)
    {
        var path = PathOf("polyglot.qcow2");
        await QemuImg.RunAsync(Token, "create", "-q", "-f", "qcow2", path, "10M");
        var image = await File.ReadAllBytesAsync(path, Token);
        System.Text.Encoding.ASCII.GetBytes(signature).CopyTo(image, offset >= 0 ? offset : image.Length + offset);
        await File.WriteAllBytesAsync(path, image, Token);
        var (format, _) = await QemuImg.InfoAsync(path, Token);

        var results = FeedEveryWay(image);

        Assert.Equal("qcow2", format);
        Assert.All(results, result => InspectionAssert.Failed(InspectionFailureCodes.AmbiguousFormat, result));
    }

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    // Whatever way the bytes arrive, the inspector accepts the file and reports qemu-img's virtual size.
    private static async Task AssertAcceptedWithQemuVirtualSizeAsync(string path)
    {
        var (_, expectedSize) = await QemuImg.InfoAsync(path, Token);

        var results = FeedEveryWay(await File.ReadAllBytesAsync(path, Token));

        Assert.All(results, result =>
        {
            Assert.True(result.Succeeded, result.Failure?.Detail);
            Assert.Equal(expectedSize, result.VirtualSize);
        });
    }

    private static List<InspectionResult> FeedEveryWay(byte[] file) =>
        [InspectorFeed.Whole(file), .. Enumerable.Range(1, 5).Select(seed => InspectorFeed.InRandomChunks(file, seed))];

    private string PathOf(string name) => Path.Combine(_directory.FullName, name);

    private async Task<string> WriteRawAsync(string name, int length)
    {
        // Seeded noise, so every format has allocated data to carry.
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var path = PathOf(name);
        await File.WriteAllBytesAsync(path, data, Token);
        return path;
    }
}
