using System.Buffers.Binary;

namespace ImageService.Tests.Imports.Inspection;

// Writes a qcow2 file that qemu would open, laid out as qemu-img create lays one out (docs/interop/qcow2.txt):
// the header cluster, then from FirstTableCluster a one-cluster refcount table, its refcount block counting
// every cluster up to the end of the L1 table, and the L1 table, with no data. Every header field a hostile
// image could abuse has a setter; tests patch the bytes further as they need.
internal sealed class Qcow2HeaderBuilder
{
    // Header extension types from qcow2.txt, "Header extensions".
    public const uint FeatureNameTableExtension = 0x6803_F857;
    public const uint BackingFormatExtension = 0xE279_2ACA;
    public const uint ExternalDataFileExtension = 0x4441_5441;

    public uint Version { get; init; } = 3;

    public ulong BackingFileOffset { get; init; }

    public uint BackingFileSize { get; init; }

    public uint ClusterBits { get; init; } = 16;

    public ulong Size { get; init; } = 10 * 1024 * 1024;

    public uint CryptMethod { get; init; }

    // Null: as many entries as the virtual size needs.
    public uint? L1Size { get; init; }

    public ulong? L1TableOffset { get; init; }

    public ulong? RefcountTableOffset { get; init; }

    public uint RefcountTableClusters { get; init; } = 1;

    public uint SnapshotCount { get; init; }

    public ulong SnapshotsOffset { get; init; }

    public ulong IncompatibleFeatures { get; init; }

    public ulong AutoclearFeatures { get; init; }

    public uint RefcountOrder { get; init; } = 4;

    // Null writes the smallest valid version 3 length, 104; version 2 has no such field.
    public uint? HeaderLength { get; init; }

    public byte CompressionType { get; init; }

    public int FirstTableCluster { get; init; } = 1;

    public IList<(uint Type, byte[] Data)> Extensions { get; init; } = [];

    // Null: up to the end of the L1 table's last cluster.
    public int? FileLength { get; init; }

    // Out-of-range cluster_bits are written as given, but the layout uses the nearest valid size.
    private long ClusterSize => 1L << (int)Math.Clamp(ClusterBits, 9, 21);

    private uint EntriesNeeded
    {
        get
        {
            var perEntry = ClusterSize * ClusterSize / 8;
            return (uint)Math.Min((Size + (ulong)perEntry - 1) / (ulong)perEntry, 1 << 20);
        }
    }

    public byte[] Build()
    {
        var clusterSize = ClusterSize;
        var l1Size = L1Size ?? EntriesNeeded;
        var tableCluster = FirstTableCluster * clusterSize;
        var l1Offset = L1TableOffset ?? (ulong)(tableCluster + (2 * clusterSize));
        var l1Clusters = Math.Max(1, ((l1Size * 8L) + clusterSize - 1) / clusterSize);
        var layoutEnd = tableCluster + ((2 + l1Clusters) * clusterSize);
        var file = new byte[FileLength ?? layoutEnd];
        var span = file.AsSpan();
        span[0] = (byte)'Q';
        span[1] = (byte)'F';
        span[2] = (byte)'I';
        span[3] = 0xFB;
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], Version);
        BinaryPrimitives.WriteUInt64BigEndian(span[8..], BackingFileOffset);
        BinaryPrimitives.WriteUInt32BigEndian(span[16..], BackingFileSize);
        BinaryPrimitives.WriteUInt32BigEndian(span[20..], ClusterBits);
        BinaryPrimitives.WriteUInt64BigEndian(span[24..], Size);
        BinaryPrimitives.WriteUInt32BigEndian(span[32..], CryptMethod);
        BinaryPrimitives.WriteUInt32BigEndian(span[36..], l1Size);
        BinaryPrimitives.WriteUInt64BigEndian(span[40..], l1Offset);
        BinaryPrimitives.WriteUInt64BigEndian(span[48..], RefcountTableOffset ?? (ulong)tableCluster);
        BinaryPrimitives.WriteUInt32BigEndian(span[56..], RefcountTableClusters);
        BinaryPrimitives.WriteUInt32BigEndian(span[60..], SnapshotCount);
        BinaryPrimitives.WriteUInt64BigEndian(span[64..], SnapshotsOffset);

        var extensionOffset = 72;
        if (Version >= 3)
        {
            var headerLength = HeaderLength ?? 104;
            BinaryPrimitives.WriteUInt64BigEndian(span[72..], IncompatibleFeatures);
            BinaryPrimitives.WriteUInt64BigEndian(span[88..], AutoclearFeatures);
            BinaryPrimitives.WriteUInt32BigEndian(span[96..], RefcountOrder);
            BinaryPrimitives.WriteUInt32BigEndian(span[100..], headerLength);
            if (headerLength > 104)
            {
                span[104] = CompressionType;
            }

            extensionOffset = (int)headerLength;
        }

        foreach (var (type, data) in Extensions)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[extensionOffset..], type);
            BinaryPrimitives.WriteUInt32BigEndian(span[(extensionOffset + 4)..], (uint)data.Length);
            data.CopyTo(span[(extensionOffset + 8)..]);
            extensionOffset += 8 + ((data.Length + 7) & ~7);
        }

        // The end-of-extensions marker is type 0 with length 0, which the zeroed buffer already holds.
        WriteRefcounts(span, tableCluster, layoutEnd / clusterSize);
        return file;
    }

    // The table's first entry points to the block right after it; the block counts clusters 0 to
    // usedClusters - 1 once each, in entries of 2^RefcountOrder bits (below 8 bits packed from the least
    // significant bit, as qemu does).
    private void WriteRefcounts(Span<byte> file, long tableOffset, long usedClusters)
    {
        var blockOffset = tableOffset + ClusterSize;
        if (RefcountTableOffset is not null || RefcountOrder > 6 || blockOffset + ClusterSize > file.Length)
        {
            return;
        }

        BinaryPrimitives.WriteUInt64BigEndian(file[(int)tableOffset..], (ulong)blockOffset);
        var block = file.Slice((int)blockOffset, (int)ClusterSize);
        var bits = 1 << (int)RefcountOrder;
        for (var cluster = 0; cluster < usedClusters && cluster < ClusterSize * 8 / bits; cluster++)
        {
            if (bits >= 8)
            {
                block[(int)(((cluster + 1) * (bits / 8)) - 1)] = 1;
            }
            else
            {
                block[cluster * bits / 8] |= (byte)(1 << (cluster * bits % 8));
            }
        }
    }
}
