using System.Buffers.Binary;

namespace ImageService.Api.Imports.Inspection;

// Walks the header extensions as their bytes stream past, the way qemu's qcow2_read_extensions reads them:
// from the end of the header up to the end of the first cluster (up to 2 MiB in), each a type, a length and
// data padded to a multiple of 8, until a type 0 entry. Only an extension's 8-byte head, and the 24 bytes of
// a bitmaps extension, are ever held, so an extension placed after a megabyte of unknown ones is found like
// one placed first. Bytes past the end of the file read as zeros, as they do in qemu.
internal sealed class Qcow2ExtensionWalk : Qcow2RecordStream
{
    public const uint EndOfExtensionsType = 0x0000_0000;
    public const uint BackingFormatType = 0xE279_2ACA;
    public const uint ExternalDataFileType = 0x4441_5441;
    public const uint CryptoHeaderType = 0x0537_BE77;
    public const uint BitmapsType = 0x2385_2875;

    private const int ExtensionHeadLength = 8;

    // qcow2.h: sizeof(Qcow2BitmapHeaderExt), QCOW2_MAX_BITMAPS, QCOW2_MAX_BITMAP_DIRECTORY_SIZE.
    private const int BitmapsLength = 24;
    private const uint MaxBitmaps = 65535;
    private const ulong MaxBitmapDirectoryBytes = 1024UL * MaxBitmaps;
    private const ulong BitmapsAutoclearBit = 1;

    private static readonly byte[] Zeros = new byte[BitmapsLength];

    private readonly long _end;
    private readonly long _clusterSize;
    private readonly bool _bitmapsInUse;
    private uint _length;

    public Qcow2ExtensionWalk(in Qcow2Header header)
        : base(header.HeaderLength, BitmapsLength)
    {
        _end = header.ClusterSize;
        _clusterSize = header.ClusterSize;
        _bitmapsInUse = (header.AutoclearFeatures & BitmapsAutoclearBit) != 0;
        Wanted = ExtensionHeadLength;
        IsDone = Offset >= _end;
    }

    // Where the bitmap directory ends, for Qcow2Layout to find inside the file; 0 without bitmaps.
    public long BitmapDirectoryEnd { get; private set; }

    // The file ended at `length`: qemu reads what is left of the extension area as zeros.
    public InspectionFailure? Finish(long length)
    {
        while (!IsDone)
        {
            if (Offset < length)
            {
                throw new InvalidOperationException("The walk has not been fed every byte of the file.");
            }

            SkipToEnd();
            if (Feed(Offset, Zeros.AsSpan(0, Missing)) is { } failure)
            {
                return failure;
            }
        }

        return null;
    }

    protected override InspectionFailure? Step()
    {
        if (Wanted == BitmapsLength)
        {
            Wanted = ExtensionHeadLength;
            return CheckBitmaps() ?? Next(((_length + 7L) & ~7L) - BitmapsLength);
        }

        var type = BinaryPrimitives.ReadUInt32BigEndian(Held);
        _length = BinaryPrimitives.ReadUInt32BigEndian(Held.AsSpan(4));
        var at = Offset - ExtensionHeadLength;

        // qemu checks every extension's length, the end marker's too, before its type: "Header extension too
        // large" when it runs past the first cluster.
        if (Offset > _end || _length > _end - Offset)
        {
            return Invalid($"The image's header extension 0x{type:x8} at byte {at} runs past the first cluster.");
        }

        switch (type)
        {
            case EndOfExtensionsType:
                IsDone = true;
                return null;
            case BackingFormatType:
                return Qcow2HeaderChecks.BackingFile();
            case ExternalDataFileType:
                return Qcow2HeaderChecks.ExternalDataFile();
            case CryptoHeaderType:
                // "CRYPTO header extension only expected with LUKS encryption method", and encrypted images
                // are refused before the walk starts.
                return Invalid($"The image has an encryption header extension at byte {at} but is not encrypted.");
            case BitmapsType when _length != BitmapsLength:
                // "bitmaps_ext: Invalid extension length".
                return Invalid($"The image's bitmaps extension at byte {at} is {_length} bytes long; it must be {BitmapsLength}.");
            case BitmapsType:
                Wanted = BitmapsLength;
                return null;
            default:
                // Unknown extensions are skipped, as qemu skips them; qemu's own (the feature name table) too.
                return Next((_length + 7L) & ~7L);
        }
    }

    private InspectionFailure? Next(long skip)
    {
        Skip = skip;
        IsDone = Offset + skip >= _end;
        return null;
    }

    // qcow2_read_extensions ignores the bitmaps extension when the autoclear bit says a program without bitmap
    // support wrote the image since; otherwise it refuses what it cannot load.
    private InspectionFailure? CheckBitmaps()
    {
        if (!_bitmapsInUse)
        {
            return null;
        }

        var held = Held.AsSpan();
        var count = BinaryPrimitives.ReadUInt32BigEndian(held);
        var reserved = BinaryPrimitives.ReadUInt32BigEndian(held[4..]);
        var directorySize = BinaryPrimitives.ReadUInt64BigEndian(held[8..]);
        var directoryOffset = BinaryPrimitives.ReadUInt64BigEndian(held[16..]);
        if (reserved != 0 || count is 0 or > MaxBitmaps || directoryOffset % (ulong)_clusterSize != 0 || directorySize > MaxBitmapDirectoryBytes ||
            directoryOffset > (ulong)long.MaxValue - MaxBitmapDirectoryBytes)
        {
            // "Reserved field is not zero", "exceeding the QEMU supported maximum", "found bitmaps extension with
            // zero bitmaps", "invalid bitmap directory offset", "bitmap directory size ... exceeds the maximum".
            return Invalid($"The image's bitmaps extension is invalid ({count} bitmaps, a {directorySize}-byte directory at byte {directoryOffset}).");
        }

        BitmapDirectoryEnd = (long)(directoryOffset + directorySize);
        return null;
    }

    private static InspectionFailure Invalid(string detail) => new(InspectionFailureCodes.InvalidHeaderExtension, detail);
}
