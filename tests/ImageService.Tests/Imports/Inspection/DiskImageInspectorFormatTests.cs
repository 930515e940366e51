using ImageService.Api.Imports.Inspection;

namespace ImageService.Tests.Imports.Inspection;

public sealed class DiskImageInspectorFormatTests
{
    public static TheoryData<string, int, string> Signatures => new()
    {
        { "CD001", 0x8001, "ISO 9660" },
        { "CD001", 0x8801, "ISO 9660" },
        { "CD001", 0x9001, "ISO 9660" },
        { "NSR02", 0x8801, "ISO 9660/UDF" },
        { "NSR03", 0x8801, "ISO 9660/UDF" },
        { "EFI PART", 512, "GPT" },
        { "EFI PART", 4096, "GPT" },
        { "\u007f\u0010\u00da\u00be", 0x40, "VDI" },
    };

    public static TheoryData<string, string> LeadingSignatures => new()
    {
        { "KDMV", "VMDK" },
        { "# Disk DescriptorFile\nversion=1\n", "VMDK" },
        { "conectix", "VHD" },
        { "vhdxfile", "VHDX" },
        { "QED\0", "QED" },
        { "LUKS\u00ba\u00be\0\u0001", "LUKS" },
    };

    [Theory]
    [MemberData(nameof(Signatures))]
    public void Complete_RawFileWithForeignSignature_FailsAsNotQcow2NamingFormat(string signature, int offset, string format)
    {
        var file = new byte[128 * 1024];
        Latin1(signature).CopyTo(file, offset);

        var result = InspectorFeed.Whole(file);

        var failure = InspectionAssert.Failed(InspectionFailureCodes.NotQcow2, result);
        Assert.Contains(format, failure.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LeadingSignatures))]
    public void Complete_FileStartingWithForeignMagic_FailsAsNotQcow2NamingFormat(string signature, string format)
    {
        var file = new byte[128 * 1024];
        Latin1(signature).CopyTo(file, 0);

        var result = InspectorFeed.Whole(file);

        var failure = InspectionAssert.Failed(InspectionFailureCodes.NotQcow2, result);
        Assert.Contains(format, failure.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Signatures))]
    public void Complete_Qcow2WithForeignSignature_FailsWithAmbiguousFormat(string signature, int offset, string format)
    {
        var image = new Qcow2HeaderBuilder().Build();
        Latin1(signature).CopyTo(image, offset);

        var result = InspectorFeed.Whole(image);

        var failure = InspectionAssert.Failed(InspectionFailureCodes.AmbiguousFormat, result);
        Assert.Contains(format, failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_Qcow2WithVhdFooter_FailsWithAmbiguousFormat()
    {
        var image = new Qcow2HeaderBuilder().Build();
        "conectix"u8.CopyTo(image.AsSpan(image.Length - 512));

        var result = InspectorFeed.Whole(image);

        var failure = InspectionAssert.Failed(InspectionFailureCodes.AmbiguousFormat, result);
        Assert.Contains("VHD", failure.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(513)]
    [InlineData(511)]
    [InlineData(1)]
    public void Complete_CookieNotAtStartOfLastSector_Succeeds(int distanceFromEnd)
    {
        var image = new Qcow2HeaderBuilder().Build();
        var cookie = "conectix"u8;
        cookie[..Math.Min(cookie.Length, distanceFromEnd)].CopyTo(image.AsSpan(image.Length - distanceFromEnd));

        var result = InspectorFeed.Whole(image);

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Complete_ShortFileWithVhdFooterOnly_FailsAsNotQcow2NamingVhd()
    {
        var file = new byte[4096 + 512];
        "conectix"u8.CopyTo(file.AsSpan(4096));

        var result = InspectorFeed.Whole(file);

        var failure = InspectionAssert.Failed(InspectionFailureCodes.NotQcow2, result);
        Assert.Contains("VHD", failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_FileMatchingTwoForeignFormats_NamesBoth()
    {
        var file = new byte[128 * 1024];
        "CD001"u8.CopyTo(file.AsSpan(0x8001));
        "EFI PART"u8.CopyTo(file.AsSpan(512));

        var result = InspectorFeed.Whole(file);

        var failure = InspectionAssert.Failed(InspectionFailureCodes.NotQcow2, result);
        Assert.Equal(
            "The file is not a qcow2 image; it looks like an ISO 9660/UDF image and a raw disk with a GPT partition table.",
            failure.Detail);
    }

    [Fact]
    public void Complete_ZerosOnly_FailsAsNotQcow2WithoutNamingFormat()
    {
        var result = InspectorFeed.Whole(new byte[128 * 1024]);

        var failure = InspectionAssert.Failed(InspectionFailureCodes.NotQcow2, result);
        Assert.Equal("The file does not start with the qcow2 magic; only qcow2 images are accepted.", failure.Detail);
    }

    [Fact]
    public void Complete_HostileHeaderThatIsAlsoPolyglot_ReportsHeaderFailure()
    {
        // The header is judged before the probes, so the same file gives the same code however it arrives.
        var image = new Qcow2HeaderBuilder { BackingFileOffset = 0x200 }.Build();
        "CD001"u8.CopyTo(image.AsSpan(0x8001));
        "conectix"u8.CopyTo(image.AsSpan(image.Length - 512));

        var result = InspectorFeed.Whole(image);

        InspectionAssert.Failed(InspectionFailureCodes.BackingFile, result);
    }

    private static byte[] Latin1(string text) => System.Text.Encoding.Latin1.GetBytes(text);
}
