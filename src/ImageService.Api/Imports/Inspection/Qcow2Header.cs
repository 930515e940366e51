using System.Buffers.Binary;

namespace ImageService.Api.Imports.Inspection;

// The fields of a qcow2 header as docs/interop/qcow2.txt lays them out (all numbers big-endian), read the way
// qemu's qcow2_do_open reads them: a version 2 header has no fields past byte 72, so they read as qemu
// initialises them (no features, 16-bit refcounts, a 72-byte header), and the compression type byte counts
// only when header_length covers it.
internal readonly record struct Qcow2Header(
    uint Version,
    ulong BackingFileOffset,
    uint BackingFileSize,
    uint ClusterBits,
    ulong Size,
    uint CryptMethod,
    uint L1Size,
    ulong L1TableOffset,
    ulong RefcountTableOffset,
    uint RefcountTableClusters,
    uint SnapshotCount,
    ulong SnapshotsOffset,
    ulong IncompatibleFeatures,
    ulong AutoclearFeatures,
    uint RefcountOrder,
    uint HeaderLength,
    byte CompressionType)
{
    // "For version 2, the header is exactly 72 bytes in length"; "for version 3 or higher, the header
    // length is at least 104 bytes".
    public const int Version2Length = 72;
    public const int Version3MinimumLength = 104;

    // The compression_type byte is the first of the "additional fields" after byte 104.
    public const int CompressionTypeOffset = 104;

    private static ReadOnlySpan<byte> Magic => [(byte)'Q', (byte)'F', (byte)'I', 0xFB];

    public static bool HasMagic(ReadOnlySpan<byte> file) => file.StartsWith(Magic);

    public long ClusterSize => 1L << (int)ClusterBits;

    // The bytes holding the version, enough to read it; the caller checks the length for the rest.
    public static uint ReadVersion(ReadOnlySpan<byte> file) => BinaryPrimitives.ReadUInt32BigEndian(file[4..]);

    // The caller has checked that the span holds the whole fixed header for its version.
    public static Qcow2Header Read(ReadOnlySpan<byte> file)
    {
        var version = ReadVersion(file);
        var v3 = version >= 3;
        var headerLength = v3 ? BinaryPrimitives.ReadUInt32BigEndian(file[100..]) : Version2Length;
        return new Qcow2Header(
            Version: version,
            BackingFileOffset: BinaryPrimitives.ReadUInt64BigEndian(file[8..]),
            BackingFileSize: BinaryPrimitives.ReadUInt32BigEndian(file[16..]),
            ClusterBits: BinaryPrimitives.ReadUInt32BigEndian(file[20..]),
            Size: BinaryPrimitives.ReadUInt64BigEndian(file[24..]),
            CryptMethod: BinaryPrimitives.ReadUInt32BigEndian(file[32..]),
            L1Size: BinaryPrimitives.ReadUInt32BigEndian(file[36..]),
            L1TableOffset: BinaryPrimitives.ReadUInt64BigEndian(file[40..]),
            RefcountTableOffset: BinaryPrimitives.ReadUInt64BigEndian(file[48..]),
            RefcountTableClusters: BinaryPrimitives.ReadUInt32BigEndian(file[56..]),
            SnapshotCount: BinaryPrimitives.ReadUInt32BigEndian(file[60..]),
            SnapshotsOffset: BinaryPrimitives.ReadUInt64BigEndian(file[64..]),
            IncompatibleFeatures: v3 ? BinaryPrimitives.ReadUInt64BigEndian(file[72..]) : 0,
            AutoclearFeatures: v3 ? BinaryPrimitives.ReadUInt64BigEndian(file[88..]) : 0,
            RefcountOrder: v3 ? BinaryPrimitives.ReadUInt32BigEndian(file[96..]) : 4,
            HeaderLength: headerLength,
            CompressionType: v3 && headerLength > CompressionTypeOffset && file.Length > CompressionTypeOffset
                ? file[CompressionTypeOffset]
                : (byte)0);
    }
}
