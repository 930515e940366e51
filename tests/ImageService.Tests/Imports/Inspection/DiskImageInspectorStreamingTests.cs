using ImageService.Api.Imports.Inspection;

namespace ImageService.Tests.Imports.Inspection;

public sealed class DiskImageInspectorStreamingTests
{
    public static TheoryData<string> Images => new(ImagesByName.Keys);

    // Each image with the code it must get (null: accepted), including files whose length is not a multiple
    // of 512, so the ring that keeps the last sector has to wrap.
    private static Dictionary<string, (Func<byte[]> Build, string? Code)> ImagesByName => new()
    {
        ["valid v3"] = (() => new Qcow2HeaderBuilder().Build(), null),
        ["valid v2"] = (() => new Qcow2HeaderBuilder { Version = 2 }.Build(), null),
        ["valid, unaligned length"] = (() => new Qcow2HeaderBuilder { FileLength = 196_616 }.Build(), null),
        ["short valid"] = (() => new Qcow2HeaderBuilder { ClusterBits = 9, Size = 32 * 1024, FileLength = 2048 }.Build(), null),
        ["backing file"] = (() => new Qcow2HeaderBuilder { BackingFileOffset = 0x200, BackingFileSize = 8 }.Build(), InspectionFailureCodes.BackingFile),
        ["unknown features"] = (() => new Qcow2HeaderBuilder { IncompatibleFeatures = 1ul << 9 }.Build(), InspectionFailureCodes.UnknownIncompatibleFeatures),
        ["short with wrong magic"] = (() => new byte[3000], InspectionFailureCodes.NotQcow2),
        ["iso polyglot"] = (() => WithBytes(new Qcow2HeaderBuilder().Build(), 0x9001, "CD001"u8), InspectionFailureCodes.AmbiguousFormat),
        ["vhd footer polyglot"] = (() => WithFooter(new Qcow2HeaderBuilder { ClusterBits = 12, FileLength = 70_001 }.Build()), InspectionFailureCodes.AmbiguousFormat),
        ["short vhd footer polyglot"] = (() => WithFooter(new Qcow2HeaderBuilder { ClusterBits = 9, FileLength = 1_337 }.Build()), InspectionFailureCodes.AmbiguousFormat),
        ["cut inside the L1 table"] = (() => new Qcow2HeaderBuilder { FileLength = (3 * 65536) + 7 }.Build(), InspectionFailureCodes.Truncated),
        ["refcounts past the end"] = (() => WithBytes(new Qcow2HeaderBuilder().Build(), (2 * 65536) + (2 * 40) + 1, [1]), InspectionFailureCodes.Truncated),
        ["L1 entry not aligned"] = (() => WithBytes(new Qcow2HeaderBuilder().Build(), (3 * 65536) + 5, [0x01, 0x02, 0x00]), InspectionFailureCodes.InvalidL1Table),
        ["data file extension 1 MiB in"] = (() => new Qcow2HeaderBuilder
        {
            ClusterBits = 21,
            HeaderLength = 112,
            Extensions = [(0x1234_5678, new byte[1 << 20]), (Qcow2HeaderBuilder.ExternalDataFileExtension, "data.raw"u8.ToArray())],
        }.Build(), InspectionFailureCodes.ExternalDataFile),
        ["exactly prefix, vhd footer polyglot"] = (() => WithFooter(new Qcow2HeaderBuilder { FileLength = DiskImageInspector.PrefixSize }.Build()), InspectionFailureCodes.AmbiguousFormat),
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Complete_AnyChunking_GivesSameExpectedResult(string name)
    {
        var (build, code) = ImagesByName[name];
        var image = build();

        var whole = InspectorFeed.Whole(image);
        var bytewise = InspectorFeed.InChunks(image, () => 1);
        var randomly = Enumerable.Range(1, 20).Select(seed => InspectorFeed.InRandomChunks(image, seed));

        Assert.Equal(code, whole.Failure?.Code);
        Assert.Equal(whole, bytewise);
        Assert.All(randomly, result => Assert.Equal(whole, result));
    }

    [Fact]
    public void Append_WrongMagic_FailsWhenPrefixIsFull()
    {
        var inspector = new DiskImageInspector(InspectorFeed.DefaultMaxVirtualSize);
        var zeros = new byte[DiskImageInspector.PrefixSize];

        var beforeFull = inspector.Append(zeros.AsSpan(0, DiskImageInspector.PrefixSize - 1));
        var whenFull = inspector.Append(zeros.AsSpan(0, 1));
        var later = inspector.Append(zeros);

        Assert.Null(beforeFull);
        Assert.NotNull(whenFull);
        Assert.Equal(InspectionFailureCodes.NotQcow2, whenFull.Code);
        Assert.Equal(whenFull, later);
        Assert.Equal(whenFull, inspector.Complete().Failure);
    }

    [Fact]
    public void Append_HostileHeaderInLargeChunk_FailsOnThatChunk()
    {
        var image = new Qcow2HeaderBuilder { IncompatibleFeatures = 1ul << 2 }.Build();
        var inspector = new DiskImageInspector(InspectorFeed.DefaultMaxVirtualSize);

        var failure = inspector.Append(image);

        Assert.NotNull(failure);
        Assert.Equal(InspectionFailureCodes.ExternalDataFile, failure.Code);
    }

    [Fact]
    public void Append_ShortFileWithWrongMagic_WaitsForComplete()
    {
        var inspector = new DiskImageInspector(InspectorFeed.DefaultMaxVirtualSize);

        var early = inspector.Append("not an image"u8);
        var result = inspector.Complete();

        Assert.Null(early);
        InspectionAssert.Failed(InspectionFailureCodes.NotQcow2, result);
    }

    [Fact]
    public void Append_ValidHeaderThenGibibyteOfZeros_AcceptsWithoutAllocating()
    {
        // The hot path after the prefix must be a copy of the last 512 bytes and nothing else: no buffering,
        // no parsing, no allocation, whatever the image's size.
        const int MiB = 1024 * 1024;
        var inspector = new DiskImageInspector(InspectorFeed.DefaultMaxVirtualSize);
        var header = new Qcow2HeaderBuilder { FileLength = DiskImageInspector.PrefixSize }.Build();
        var zeros = new byte[MiB];
        Assert.Null(inspector.Append(header));
        Assert.Null(inspector.Append(zeros));

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i < 1024; i++)
        {
            Assert.Null(inspector.Append(zeros));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var result = inspector.Complete();

        Assert.Equal(0, allocated);
        Assert.True(result.Succeeded);
        Assert.Equal(10 * MiB, result.VirtualSize);
    }

    [Fact]
    public void Append_AfterComplete_Throws()
    {
        var inspector = new DiskImageInspector(InspectorFeed.DefaultMaxVirtualSize);
        inspector.Append(new Qcow2HeaderBuilder().Build());
        inspector.Complete();

        Assert.Throws<InvalidOperationException>(() => inspector.Append([0]));
    }

    [Fact]
    public void Complete_CalledTwice_ReturnsSameResult()
    {
        var inspector = new DiskImageInspector(InspectorFeed.DefaultMaxVirtualSize);
        inspector.Append(new Qcow2HeaderBuilder().Build());

        var first = inspector.Complete();
        var second = inspector.Complete();

        Assert.Same(first, second);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Constructor_NonPositiveMaxVirtualSize_Throws(long maxVirtualSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DiskImageInspector(maxVirtualSize));
    }

    private static byte[] WithBytes(byte[] file, int offset, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(file.AsSpan(offset));
        return file;
    }

    private static byte[] WithFooter(byte[] file) => WithBytes(file, file.Length - 512, "conectix"u8);
}
