using System.Buffers.Binary;

namespace ImageService.Api.Imports.Inspection;

// Walks the header extensions as their bytes stream past, the way qemu's qcow2_read_extensions reads them:
// from the end of the header up to the end of the first cluster (up to 2 MiB in), each a type, a length and
// data padded to a multiple of 8, until a type 0 entry. Only an extension's 8-byte head, and the 24 bytes of
// a bitmaps extension, are ever held, so an extension placed after a megabyte of unknown ones is found like
// one placed first. Bytes past the end of the file read as zeros, as they do in qemu.
internal sealed class Qcow2ExtensionWalk
{
    public const uint EndOfExtensionsType = 0x0000_0000;
    public const uint BackingFormatType = 0xE279_2ACA;
    public const uint ExternalDataFileType = 0x4441_5441;
    public const uint CryptoHeaderType = 0x0537_BE77;
    public const uint BitmapsType = 0x2385_2875;

    // qcow2.h: sizeof(Qcow2BitmapHeaderExt), QCOW2_MAX_BITMAPS, QCOW2_MAX_BITMAP_DIRECTORY_SIZE.
    private const int BitmapsLength = 24;
    private const uint MaxBitmaps = 65535;
    private const ulong MaxBitmapDirectoryBytes = 1024UL * MaxBitmaps;
    private const ulong BitmapsAutoclearBit = 1;

    private static readonly byte[] Zeros = new byte[BitmapsLength];

    private readonly long _end;
    private readonly long _clusterSize;
    private readonly bool _bitmapsInUse;
    private readonly byte[] _held = new byte[BitmapsLength];
    private int _heldLength;
    private int _wanted = 8;
    private long _skip;
    private uint _type;
    private uint _length;

    // Where the next unread byte of the extension area is, in file offsets.
    private long _offset;

    public Qcow2ExtensionWalk(in Qcow2Header header)
    {
        _offset = header.HeaderLength;
        _end = header.ClusterSize;
        _clusterSize = header.ClusterSize;
        _bitmapsInUse = (header.AutoclearFeatures & BitmapsAutoclearBit) != 0;
        IsDone = _offset >= _end;
    }

    public bool IsDone { get; private set; }

    // Where the bitmap directory ends, for Qcow2Layout to find inside the file; 0 without bitmaps.
    public long BitmapDirectoryEnd { get; private set; }

    public InspectionFailure? Feed(long position, ReadOnlySpan<byte> chunk)
    {
        while (!IsDone)
        {
            var available = position + chunk.Length - _offset;
            if (_offset < position || available <= 0)
            {
                return null;
            }

            var bytes = chunk[(int)(_offset - position)..];
            if (_skip > 0)
            {
                var skipped = Math.Min(_skip, bytes.Length);
                _skip -= skipped;
                _offset += skipped;
                continue;
            }

            var take = Math.Min(bytes.Length, _wanted - _heldLength);
            bytes[..take].CopyTo(_held.AsSpan(_heldLength));
            _heldLength += take;
            _offset += take;
            if (_heldLength == _wanted && Step() is { } failure)
            {
                return failure;
            }
        }

        return null;
    }

    // The file ended at `length`: qemu reads what is left of the extension area as zeros.
    public InspectionFailure? Finish(long length)
    {
        while (!IsDone)
        {
            if (_offset < length)
            {
                throw new InvalidOperationException("The walk has not been fed every byte of the file.");
            }

            if (_skip > 0)
            {
                _offset += _skip;
                _skip = 0;
                continue;
            }

            var failure = Feed(_offset, Zeros.AsSpan(0, _wanted - _heldLength));
            if (failure is not null)
            {
                return failure;
            }
        }

        return null;
    }

    private InspectionFailure? Step()
    {
        _heldLength = 0;
        if (_wanted == BitmapsLength)
        {
            _wanted = 8;
            _skip = ((_length + 7L) & ~7L) - BitmapsLength;
            return CheckBitmaps();
        }

        _type = BinaryPrimitives.ReadUInt32BigEndian(_held);
        _length = BinaryPrimitives.ReadUInt32BigEndian(_held.AsSpan(4));
        var at = _offset - 8;

        // qemu checks every extension's length, the end marker's too, before its type: "Header extension too
        // large" when it runs past the first cluster.
        if (_offset > _end || _length > _end - _offset)
        {
            return Invalid($"The image's header extension 0x{_type:x8} at byte {at} runs past the first cluster.");
        }

        switch (_type)
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
                _wanted = BitmapsLength;
                return null;
            default:
                // Unknown extensions are skipped, as qemu skips them; qemu's own (the feature name table) too.
                _skip = (_length + 7L) & ~7L;
                break;
        }

        if (_offset + _skip >= _end)
        {
            IsDone = true;
        }

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

        var held = _held.AsSpan();
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
        if (_offset + _skip >= _end)
        {
            IsDone = true;
        }

        return null;
    }

    private static InspectionFailure Invalid(string detail) => new(InspectionFailureCodes.InvalidHeaderExtension, detail);
}
