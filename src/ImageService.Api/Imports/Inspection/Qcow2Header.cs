using System.Buffers.Binary;

namespace ImageService.Api.Imports.Inspection;

// Checks a qcow2 header against the QEMU specification (docs/interop/qcow2.txt) and our policy: an image
// must be self-contained (no backing file, no external data file), use only features we know, and declare
// a virtual size we can provision. All numbers in qcow2 are big-endian.
internal static class Qcow2Header
{
    // "For version 2, the header is exactly 72 bytes in length"; "for version 3 or higher, the header
    // length is at least 104 bytes".
    internal const int Version2Length = 72;
    internal const int Version3MinimumLength = 104;

    // "Must not be less than 9 (i.e. 512 byte clusters)", and "qemu as of today has an implementation
    // limit of 2 MB as the maximum cluster size".
    internal const int MinimumClusterBits = 9;
    internal const int MaximumClusterBits = 21;

    // "If the image has Extended L2 Entries then cluster_bits must be at least 14".
    internal const int MinimumExtendedL2ClusterBits = 14;

    internal const ulong CorruptBit = 1UL << 1;
    internal const ulong ExternalDataFileBit = 1UL << 2;
    internal const ulong ExtendedL2Bit = 1UL << 4;

    // Bits 0 (dirty), 1 (corrupt), 2 (external data file), 3 (compression type) and 4 (extended L2 entries)
    // are defined; "bits 5-63: reserved", and "an implementation must fail to open an image if an unknown
    // bit is set".
    internal const ulong KnownIncompatibleFeatures = 0b1_1111;

    internal const uint EndOfExtensionsType = 0x0000_0000;
    internal const uint BackingFormatExtensionType = 0xE279_2ACA;
    internal const uint ExternalDataFileExtensionType = 0x4441_5441;

    private static ReadOnlySpan<byte> Magic => [(byte)'Q', (byte)'F', (byte)'I', 0xFB];

    public static bool HasMagic(ReadOnlySpan<byte> header) => header.StartsWith(Magic);

    // The header must already carry the magic. It may be shorter than the header only when the whole file
    // is: the inspector passes its full 64 KiB prefix, or every byte of a shorter file.
    public static InspectionResult Inspect(ReadOnlySpan<byte> header, long maxVirtualSize)
    {
        var failure = Check(header, maxVirtualSize, out var virtualSize);
        return failure is null ? InspectionResult.Success(virtualSize) : InspectionResult.Failed(failure);
    }

    private static InspectionFailure? Check(ReadOnlySpan<byte> header, long maxVirtualSize, out long virtualSize)
    {
        virtualSize = 0;
        if (header.Length < Version2Length)
        {
            return TooShort(header.Length);
        }

        var version = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if (version is not (2 or 3))
        {
            return new InspectionFailure(
                InspectionFailureCodes.UnsupportedQcow2Version,
                $"The image is qcow2 version {version}; only versions 2 and 3 are supported.");
        }

        if (version == 3 && header.Length < Version3MinimumLength)
        {
            return TooShort(header.Length);
        }

        // The spec leaves backing_file_size undefined without a backing file, but qemu always writes 0 there;
        // a non-zero value in either field is a backing file reference or an attempt to hide one.
        var backingFileOffset = BinaryPrimitives.ReadUInt64BigEndian(header[8..]);
        var backingFileSize = BinaryPrimitives.ReadUInt32BigEndian(header[16..]);
        if (backingFileOffset != 0 || backingFileSize != 0)
        {
            return BackingFile();
        }

        var clusterBits = BinaryPrimitives.ReadUInt32BigEndian(header[20..]);
        if (clusterBits is < MinimumClusterBits or > MaximumClusterBits)
        {
            return new InspectionFailure(
                InspectionFailureCodes.InvalidClusterBits,
                $"The image's cluster_bits is {clusterBits}; qcow2 allows {MinimumClusterBits} to {MaximumClusterBits} (512-byte to 2 MiB clusters).");
        }

        var size = BinaryPrimitives.ReadUInt64BigEndian(header[24..]);
        if (size == 0)
        {
            return new InspectionFailure(
                InspectionFailureCodes.InvalidVirtualSize,
                "The image declares a virtual size of 0 bytes.");
        }

        if (size > (ulong)maxVirtualSize)
        {
            return new InspectionFailure(
                InspectionFailureCodes.VirtualSizeTooLarge,
                $"The image's virtual size is {size} bytes, above the limit of {maxVirtualSize} bytes.");
        }

        var clusterSize = 1 << (int)clusterBits;
        var extensionsStart = Version2Length;
        if (version == 3)
        {
            var failure = CheckVersion3Fields(header, clusterBits, clusterSize, out extensionsStart);
            if (failure is not null)
            {
                return failure;
            }
        }

        virtualSize = (long)size;
        return CheckExtensions(header, extensionsStart, clusterSize);
    }

    private static InspectionFailure? CheckVersion3Fields(
        ReadOnlySpan<byte> header, uint clusterBits, int clusterSize, out int headerLength)
    {
        headerLength = 0;
        var incompatible = BinaryPrimitives.ReadUInt64BigEndian(header[72..]);

        // An external data file makes qemu read guest data from a path the image names: CVE-2024-32498
        // (OSSA-2024-001) used it to read host files through Glance, Cinder and Nova.
        if ((incompatible & ExternalDataFileBit) != 0)
        {
            return ExternalDataFile();
        }

        var unknown = incompatible & ~KnownIncompatibleFeatures;
        if (unknown != 0)
        {
            return new InspectionFailure(
                InspectionFailureCodes.UnknownIncompatibleFeatures,
                $"The image sets incompatible feature bits 0x{unknown:x} that this service does not know; qcow2 requires refusing such images.");
        }

        // The spec allows a corrupt image to be opened only to regain consistency, never to be written to,
        // and a VM would write to it.
        if ((incompatible & CorruptBit) != 0)
        {
            return new InspectionFailure(
                InspectionFailureCodes.Corrupt,
                "The image is marked corrupt; repair it with qemu-img check -r all before uploading.");
        }

        if ((incompatible & ExtendedL2Bit) != 0 && clusterBits < MinimumExtendedL2ClusterBits)
        {
            return new InspectionFailure(
                InspectionFailureCodes.InvalidClusterBits,
                $"The image uses extended L2 entries with cluster_bits {clusterBits}; qcow2 requires at least {MinimumExtendedL2ClusterBits}.");
        }

        // "For version 3 it's at least 104 bytes and must be a multiple of 8", and qemu refuses a header
        // that does not fit in the first cluster ("qcow2 header exceeds cluster size").
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[100..]);
        if (length < Version3MinimumLength || length % 8 != 0 || length > clusterSize)
        {
            return new InspectionFailure(
                InspectionFailureCodes.InvalidHeaderLength,
                $"The image's header_length is {length}; qcow2 version 3 needs a multiple of 8 from {Version3MinimumLength} up to the cluster size.");
        }

        headerLength = (int)length;
        return null;
    }

    // Header extensions follow the header up to the end of the first cluster and end at a type 0 entry;
    // each is a type, a length and data padded to a multiple of 8 (qcow2.txt, "Header extensions", and
    // qemu's qcow2_read_extensions). The walk is bounded by what we hold: the 64 KiB prefix, or the whole
    // file when it is shorter. qemu acts on both extensions refused here only together with a header field
    // checked above (incompatible bit 2, backing_file_offset), so refusing them is defence in depth against
    // a reader that trusts the extension alone.
    private static InspectionFailure? CheckExtensions(ReadOnlySpan<byte> header, int start, int clusterSize)
    {
        var end = Math.Min(clusterSize, header.Length);
        long offset = start;
        while (offset + 8 <= end)
        {
            var type = BinaryPrimitives.ReadUInt32BigEndian(header[(int)offset..]);
            var length = BinaryPrimitives.ReadUInt32BigEndian(header[((int)offset + 4)..]);
            if (type == ExternalDataFileExtensionType)
            {
                return ExternalDataFile();
            }

            if (type == BackingFormatExtensionType)
            {
                return BackingFile();
            }

            // qemu checks every extension's length, the end marker's too, and refuses to open an image whose
            // extension runs past the first cluster ("Header extension too large"); refusing it here keeps an
            // image that cannot boot out of the catalogue.
            if (length > clusterSize - offset - 8)
            {
                return new InspectionFailure(
                    InspectionFailureCodes.InvalidHeaderExtension,
                    $"The image's header extension 0x{type:x8} at byte {offset} runs past the first cluster.");
            }

            if (type == EndOfExtensionsType)
            {
                return null;
            }

            offset += 8 + ((length + 7L) & ~7L);
        }

        return null;
    }

    private static InspectionFailure TooShort(int length) =>
        new(
            InspectionFailureCodes.NotQcow2,
            $"The file is {length} bytes long, too short to hold a qcow2 header.");

    // A backing file makes qemu open a second path that the image names, which on the host can be any file
    // the hypervisor can read.
    private static InspectionFailure BackingFile() =>
        new(
            InspectionFailureCodes.BackingFile,
            "The image names a backing file; images must be self-contained.");

    private static InspectionFailure ExternalDataFile() =>
        new(
            InspectionFailureCodes.ExternalDataFile,
            "The image keeps its data in an external data file; images must be self-contained.");
}
