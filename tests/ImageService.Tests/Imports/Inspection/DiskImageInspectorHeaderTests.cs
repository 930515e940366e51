using System.Buffers.Binary;
using ImageService.Api.Imports.Inspection;

namespace ImageService.Tests.Imports.Inspection;

public sealed class DiskImageInspectorHeaderTests
{
    [Theory]
    [InlineData(2u)]
    [InlineData(3u)]
    public void Complete_ValidHeader_SucceedsWithVirtualSize(uint version)
    {
        var image = new Qcow2HeaderBuilder { Version = version, Size = 21_474_836_480 }.Build();

        var result = InspectorFeed.Whole(image);

        Assert.True(result.Succeeded);
        Assert.Equal(21_474_836_480, result.VirtualSize);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(4u)]
    [InlineData(0x0300_0000u)]
    public void Complete_VersionOtherThan2Or3_FailsWithUnsupportedVersion(uint version)
    {
        var image = new Qcow2HeaderBuilder { Version = version }.Build();

        var result = InspectorFeed.Whole(image);

        InspectionAssert.Failed(InspectionFailureCodes.UnsupportedQcow2Version, result);
    }

    [Theory]
    [InlineData(2u, 0x200ul, 0u)]
    [InlineData(2u, 0ul, 7u)]
    [InlineData(3u, 0x200ul, 7u)]
    [InlineData(3u, 1ul << 63, 0u)]
    [InlineData(3u, 0ul, 1u)]
    public void Complete_BackingFileField_FailsWithBackingFile(uint version, ulong offset, uint size)
    {
        var image = new Qcow2HeaderBuilder { Version = version, BackingFileOffset = offset, BackingFileSize = size }.Build();

        var result = InspectorFeed.Whole(image);

        var failure = InspectionAssert.Failed(InspectionFailureCodes.BackingFile, result);
        Assert.Equal("The image names a backing file; images must be self-contained.", failure.Detail);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(8u)]
    [InlineData(22u)]
    [InlineData(63u)]
    [InlineData(uint.MaxValue)]
    public void Complete_ClusterBitsOutOfRange_FailsWithInvalidClusterBits(uint clusterBits)
    {
        var image = new Qcow2HeaderBuilder { ClusterBits = clusterBits }.Build();

        var result = InspectorFeed.Whole(image);

        InspectionAssert.Failed(InspectionFailureCodes.InvalidClusterBits, result);
    }

    [Theory]
    [InlineData(9u)]
    [InlineData(12u)]
    [InlineData(21u)]
    public void Complete_ClusterBitsAtLimits_Succeeds(uint clusterBits)
    {
        var image = new Qcow2HeaderBuilder { ClusterBits = clusterBits }.Build();

        var result = InspectorFeed.Whole(image);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Complete_ZeroVirtualSize_FailsWithInvalidVirtualSize()
    {
        var image = new Qcow2HeaderBuilder { Size = 0 }.Build();

        var result = InspectorFeed.Whole(image);

        InspectionAssert.Failed(InspectionFailureCodes.InvalidVirtualSize, result);
    }

    [Theory]
    [InlineData(1_000_001ul)]
    [InlineData((ulong)long.MaxValue + 1)]
    [InlineData(ulong.MaxValue)]
    public void Complete_VirtualSizeAboveMax_FailsWithVirtualSizeTooLarge(ulong size)
    {
        var image = new Qcow2HeaderBuilder { Size = size, L1Size = 1 }.Build();

        var result = InspectorFeed.Whole(image, maxVirtualSize: 1_000_000);

        InspectionAssert.Failed(InspectionFailureCodes.VirtualSizeTooLarge, result);
    }

    [Fact]
    public void Complete_VirtualSizeEqualToMax_Succeeds()
    {
        var image = new Qcow2HeaderBuilder { Size = 1_000_448 }.Build();

        var result = InspectorFeed.Whole(image, maxVirtualSize: 1_000_448);

        Assert.True(result.Succeeded);
        Assert.Equal(1_000_448, result.VirtualSize);
    }

    // qemu keeps a disk in whole 512-byte sectors (qcow2_do_open: total_sectors = size / 512), and that is
    // the size qemu-img info reports; ImportQcow2ValidationTests checks the same against qemu-img itself.
    [Theory]
    [InlineData(67_108_865ul, 67_108_864L)]
    [InlineData(67_109_375ul, 67_108_864L)]
    [InlineData(67_109_376ul, 67_109_376L)]
    [InlineData(512ul, 512L)]
    public void Complete_SizeNotAMultipleOf512_ReportsSizeRoundedDownToSectors(ulong size, long virtualSize)
    {
        var image = new Qcow2HeaderBuilder { Size = size }.Build();

        var result = InspectorFeed.Whole(image);

        Assert.True(result.Succeeded, result.Failure?.Detail);
        Assert.Equal(virtualSize, result.VirtualSize);
    }

    [Theory]
    [InlineData(1ul)]
    [InlineData(511ul)]
    public void Complete_SizeBelowOneSector_FailsWithInvalidVirtualSize(ulong size)
    {
        var image = new Qcow2HeaderBuilder { Size = size }.Build();

        var result = InspectorFeed.Whole(image);

        InspectionAssert.Failed(InspectionFailureCodes.InvalidVirtualSize, result);
    }

    [Theory]
    [InlineData(1ul << 0, 0)]
    [InlineData(1ul << 4, 0)]
    [InlineData(1ul << 3, 1)]
    [InlineData((1ul << 0) | (1ul << 3) | (1ul << 4), 1)]
    public void Complete_KnownHarmlessIncompatibleFeatures_Succeeds(ulong features, byte compressionType)
    {
        var image = new Qcow2HeaderBuilder { IncompatibleFeatures = features, HeaderLength = 112, CompressionType = compressionType }.Build();

        var result = InspectorFeed.Whole(image);

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData(1ul << 2, InspectionFailureCodes.ExternalDataFile)]
    [InlineData((1ul << 2) | (1ul << 40), InspectionFailureCodes.ExternalDataFile)]
    [InlineData(1ul << 1, InspectionFailureCodes.Corrupt)]
    [InlineData(1ul << 5, InspectionFailureCodes.UnknownIncompatibleFeatures)]
    [InlineData(1ul << 63, InspectionFailureCodes.UnknownIncompatibleFeatures)]
    [InlineData((1ul << 1) | (1ul << 8), InspectionFailureCodes.UnknownIncompatibleFeatures)]
    public void Complete_RefusedIncompatibleFeatures_FailsWithCode(ulong features, string code)
    {
        var image = new Qcow2HeaderBuilder { IncompatibleFeatures = features }.Build();

        var result = InspectorFeed.Whole(image);

        InspectionAssert.Failed(code, result);
    }

    // validate_compression_type in qemu's block/qcow2.c: zlib (0) or zstd (1), and the compression type
    // feature bit set exactly when the type is not zlib; the byte counts only when header_length covers it.
    [Theory]
    [InlineData(112u, (byte)2, 0ul)]
    [InlineData(112u, (byte)255, 1ul << 3)]
    [InlineData(112u, (byte)1, 0ul)]
    [InlineData(112u, (byte)0, 1ul << 3)]
    [InlineData(104u, (byte)0, 1ul << 3)]
    public void Complete_CompressionTypeQemuRefuses_FailsWithInvalidCompressionType(uint headerLength, byte type, ulong features)
    {
        var image = new Qcow2HeaderBuilder { HeaderLength = headerLength, CompressionType = type, IncompatibleFeatures = features }.Build();

        var result = InspectorFeed.Whole(image);

        InspectionAssert.Failed(InspectionFailureCodes.InvalidCompressionType, result);
    }

    [Fact]
    public void Complete_CompressionTypeByteBeyondHeaderLength_IsIgnored()
    {
        var image = new Qcow2HeaderBuilder { HeaderLength = 104 }.Build();
        image[104] = 7;

        var result = InspectorFeed.Whole(image);

        Assert.True(result.Succeeded, result.Failure?.Detail);
    }

    [Fact]
    public void Complete_Version2WithFeatureBitsAt72_IgnoresThem()
    {
        // Version 2 has no incompatible_features field: byte 72 is where its header extensions start.
        var image = new Qcow2HeaderBuilder { Version = 2 }.Build();
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan(72), 0x1234_5678);
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan(76), 0);

        var result = InspectorFeed.Whole(image);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Complete_ExtendedL2WithSmallClusters_FailsWithInvalidClusterBits()
    {
        var image = new Qcow2HeaderBuilder { IncompatibleFeatures = 1ul << 4, ClusterBits = 13 }.Build();

        var result = InspectorFeed.Whole(image);

        InspectionAssert.Failed(InspectionFailureCodes.InvalidClusterBits, result);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(72u)]
    [InlineData(100u)]
    [InlineData(108u)]
    [InlineData(65_544u)]
    public void Complete_InvalidHeaderLength_FailsWithInvalidHeaderLength(uint headerLength)
    {
        var image = new Qcow2HeaderBuilder { HeaderLength = headerLength }.Build();

        var result = InspectorFeed.Whole(image);

        InspectionAssert.Failed(InspectionFailureCodes.InvalidHeaderLength, result);
    }

    [Theory]
    [InlineData(2u, Qcow2HeaderBuilder.ExternalDataFileExtension, InspectionFailureCodes.ExternalDataFile)]
    [InlineData(3u, Qcow2HeaderBuilder.ExternalDataFileExtension, InspectionFailureCodes.ExternalDataFile)]
    [InlineData(2u, Qcow2HeaderBuilder.BackingFormatExtension, InspectionFailureCodes.BackingFile)]
    [InlineData(3u, Qcow2HeaderBuilder.BackingFormatExtension, InspectionFailureCodes.BackingFile)]
    public void Complete_RefusedHeaderExtension_FailsWithCode(uint version, uint type, string code)
    {
        var image = new Qcow2HeaderBuilder
        {
            Version = version,
            HeaderLength = version == 3 ? 112u : null,
            Extensions = [(Qcow2HeaderBuilder.FeatureNameTableExtension, new byte[48 * 3]), (0x1234_5678, new byte[13]), (type, "/etc/passwd"u8.ToArray())],
        }.Build();

        var result = InspectorFeed.Whole(image);

        InspectionAssert.Failed(code, result);
    }

    [Fact]
    public void Complete_RefusedExtensionAfterEndMarker_Succeeds()
    {
        // qemu stops reading at the end-of-extensions marker, so what follows it is not an extension.
        var image = new Qcow2HeaderBuilder { Extensions = [(0, []), (Qcow2HeaderBuilder.ExternalDataFileExtension, "data.raw"u8.ToArray())] }.Build();

        var result = InspectorFeed.Whole(image);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Complete_ExtensionRunningPastFirstCluster_FailsWithInvalidHeaderExtension()
    {
        var image = new Qcow2HeaderBuilder { ClusterBits = 12 }.Build();
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan(104), 0x1234_5678);
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan(108), 4096 - 104 - 8 + 1);

        var result = InspectorFeed.Whole(image);

        InspectionAssert.Failed(InspectionFailureCodes.InvalidHeaderExtension, result);
    }

    [Fact]
    public void Complete_EndMarkerWithLengthPastFirstCluster_FailsWithInvalidHeaderExtension()
    {
        // qemu checks the length before the type, so even a malformed end marker stops it opening the image.
        var image = new Qcow2HeaderBuilder { ClusterBits = 12 }.Build();
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan(108), uint.MaxValue);

        var result = InspectorFeed.Whole(image);

        InspectionAssert.Failed(InspectionFailureCodes.InvalidHeaderExtension, result);
    }

    [Fact]
    public void Complete_ExtensionFillingFirstCluster_Succeeds()
    {
        var image = new Qcow2HeaderBuilder { ClusterBits = 12, FirstTableCluster = 2 }.Build();
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan(104), 0x1234_5678);
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan(108), 4096 - 104 - 8);
        BinaryPrimitives.WriteUInt32BigEndian(image.AsSpan(4096), Qcow2HeaderBuilder.ExternalDataFileExtension);

        var result = InspectorFeed.Whole(image);

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(71)]
    public void Complete_FileShorterThanVersion2Header_FailsWithNotQcow2(int length)
    {
        var image = new Qcow2HeaderBuilder { Version = 2 }.Build().AsSpan(0, length);

        var result = InspectorFeed.Whole(image);

        InspectionAssert.Failed(InspectionFailureCodes.NotQcow2, result);
    }

    [Fact]
    public void Complete_FileShorterThanVersion3Header_FailsWithNotQcow2()
    {
        var image = new Qcow2HeaderBuilder().Build().AsSpan(0, 100);

        var result = InspectorFeed.Whole(image);

        var failure = InspectionAssert.Failed(InspectionFailureCodes.NotQcow2, result);
        Assert.Contains("too short", failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_HeaderOnlyFile_FailsAtCompleteAsTruncated()
    {
        var image = new Qcow2HeaderBuilder { FileLength = 104 }.Build();
        var inspector = new DiskImageInspector(InspectorFeed.DefaultMaxVirtualSize);

        var early = inspector.Append(image);
        var result = inspector.Complete();

        Assert.Null(early);
        InspectionAssert.Failed(InspectionFailureCodes.Truncated, result);
    }
}
