namespace ImageService.Api.Imports.Inspection;

// Looks for the signatures of other disk formats, following OpenStack's format_inspector (oslo.utils
// imageutils, glance common/format_inspector.py). A file that matches qcow2 and any of these is a polyglot:
// qemu reads it one way while another tool (a hypervisor driver, an ISO boot path, a partition scanner)
// may read it another, so the safety checks made on one reading say nothing about the other. Glance has
// refused files that match more than one format since its fix for CVE-2024-32498.
internal static class ForeignFormatProbe
{
    public const int FooterSize = 512;

    // ISO 9660 puts its volume descriptors in 2048-byte sectors from sector 16 (0x8000), each with a
    // 5-byte standard identifier at offset 1; a boot record or a UDF volume recognition sequence can push
    // the primary descriptor to sector 17 or 18, so all three are probed.
    private static ReadOnlySpan<int> IsoDescriptorIdentifierOffsets => [0x8001, 0x8801, 0x9001];

    // The GPT header sits at LBA 1: byte 512 on 512-byte-sector disks, byte 4096 on 4K-sector disks.
    private static ReadOnlySpan<int> GptHeaderOffsets => [512, 4096];

    private static ReadOnlySpan<byte> VdiSignature => [0x7F, 0x10, 0xDA, 0xBE];

    private static ReadOnlySpan<byte> LuksMagic => [(byte)'L', (byte)'U', (byte)'K', (byte)'S', 0xBA, 0xBE];

    public static ForeignFormats ProbePrefix(ReadOnlySpan<byte> prefix)
    {
        var found = ForeignFormats.None;
        foreach (var offset in IsoDescriptorIdentifierOffsets)
        {
            // CD001 is ISO 9660; NSR02 and NSR03 are the UDF descriptors DVDs and Blu-ray discs carry.
            if (At(prefix, offset, "CD001"u8) || At(prefix, offset, "NSR02"u8) || At(prefix, offset, "NSR03"u8))
            {
                found |= ForeignFormats.Iso9660;
            }
        }

        // A monolithic sparse VMDK starts with its binary header; a split or flat VMDK is a text descriptor.
        if (At(prefix, 0, "KDMV"u8) || At(prefix, 0, "# Disk DescriptorFile"u8))
        {
            found |= ForeignFormats.Vmdk;
        }

        // A dynamic VHD keeps a copy of its footer at the start; a fixed VHD has it only at the end, which
        // ProbeFooter checks.
        if (At(prefix, 0, "conectix"u8))
        {
            found |= ForeignFormats.Vhd;
        }

        if (At(prefix, 0, "vhdxfile"u8))
        {
            found |= ForeignFormats.Vhdx;
        }

        // VirtualBox writes the signature 0xbeda107f little-endian at 0x40, after a 64-byte text banner.
        if (At(prefix, 0x40, VdiSignature))
        {
            found |= ForeignFormats.Vdi;
        }

        if (At(prefix, 0, "QED\0"u8))
        {
            found |= ForeignFormats.Qed;
        }

        if (At(prefix, 0, LuksMagic))
        {
            found |= ForeignFormats.Luks;
        }

        foreach (var offset in GptHeaderOffsets)
        {
            if (At(prefix, offset, "EFI PART"u8))
            {
                found |= ForeignFormats.Gpt;
            }
        }

        return found;
    }

    // Every VHD ends with a 512-byte footer starting with the "conectix" cookie (Microsoft's VHD
    // specification, "Hard Disk Footer Format"); qemu's vpc driver looks for it there too.
    public static ForeignFormats ProbeFooter(ReadOnlySpan<byte> footer) =>
        At(footer, 0, "conectix"u8) ? ForeignFormats.Vhd : ForeignFormats.None;

    public static string Describe(ForeignFormats formats)
    {
        var phrases = Enum.GetValues<ForeignFormats>()
            .Where(format => format != ForeignFormats.None && formats.HasFlag(format))
            .Select(Phrase)
            .ToArray();
        return phrases.Length == 1
            ? phrases[0]
            : string.Join(", ", phrases[..^1]) + " and " + phrases[^1];
    }

    private static string Phrase(ForeignFormats format) => format switch
    {
        ForeignFormats.Iso9660 => "an ISO 9660/UDF image",
        ForeignFormats.Vmdk => "a VMDK image",
        ForeignFormats.Vhd => "a VHD image",
        ForeignFormats.Vhdx => "a VHDX image",
        ForeignFormats.Vdi => "a VDI image",
        ForeignFormats.Qed => "a QED image",
        ForeignFormats.Luks => "a LUKS encrypted volume",
        ForeignFormats.Gpt => "a raw disk with a GPT partition table",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Not a single foreign format."),
    };

    private static bool At(ReadOnlySpan<byte> data, int offset, ReadOnlySpan<byte> signature) =>
        data.Length >= offset + signature.Length && data.Slice(offset, signature.Length).SequenceEqual(signature);
}
