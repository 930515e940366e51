namespace ImageService.Api.Imports.Inspection;

// Where a qcow2's metadata lies, checked against the file as it streams past and, once its length is known,
// against that length. qemu reads past the end of a file as zeros, so it opens a file cut short and shows
// the guest zeros where data was; we refuse it instead: the header, the extensions, the L1, refcount and
// snapshot tables (and each snapshot's L1 table), every L2 table and refcount block the tables point to, and
// the highest cluster the last refcount block counts as used must all lie inside the file (qemu-img check
// reports each of these as an error or a leak). Memory is constant: each table is scanned for the few
// numbers the verdict needs.
internal sealed class Qcow2Layout
{
    // qcow2.h L1E_OFFSET_MASK, L1E_RESERVED_MASK, REFT_OFFSET_MASK and REFT_RESERVED_MASK.
    private const ulong L1OffsetMask = 0x00FF_FFFF_FFFF_FE00;
    private const ulong L1ReservedMask = 0x7F00_0000_0000_01FF;
    private const ulong RefcountTableOffsetMask = 0xFFFF_FFFF_FFFF_FE00;
    private const ulong RefcountTableReservedMask = 0x0000_0000_0000_01FF;

    private readonly Qcow2Header _header;
    private readonly Qcow2ExtensionWalk _extensions;
    private readonly Qcow2SnapshotScan _snapshots;
    private readonly Qcow2TableScan _l1;
    private readonly Qcow2TableScan _refcountTable;
    private readonly ReadOnlyMemory<byte> _prefix;

    // The refcount block of the last non-empty refcount table entry, scanned for its last non-zero byte once
    // the table has been read and that block streams past.
    private long _lastBlockStart = -1;
    private long _lastBlockIndex;
    private long _lastNonZeroByte = -1;
    private byte _lastNonZeroValue;

    public Qcow2Layout(in Qcow2Header header, ReadOnlyMemory<byte> prefix)
    {
        _header = header;
        _prefix = prefix;
        _extensions = new Qcow2ExtensionWalk(header);
        _snapshots = new Qcow2SnapshotScan(header);
        _l1 = new Qcow2TableScan((long)header.L1TableOffset, header.L1Size * (long)sizeof(ulong), L1OffsetMask, L1ReservedMask, header.ClusterSize);
        _refcountTable = new Qcow2TableScan(
            (long)header.RefcountTableOffset, header.RefcountTableClusters * header.ClusterSize, RefcountTableOffsetMask, RefcountTableReservedMask, header.ClusterSize);
    }

    // The virtual size a VM sees and qemu-img info reports: qemu keeps the disk in whole 512-byte sectors
    // (bs->total_sectors = header.size / BDRV_SECTOR_SIZE in qcow2_do_open), so a size that is not a multiple
    // of 512 is rounded down.
    public static long VirtualSize(in Qcow2Header header) => (long)(header.Size & ~511UL);

    // size_to_l1: each L1 entry maps one L2 table, a cluster of 8-byte entries (16-byte with extended L2
    // entries), each mapping a cluster.
    public static ulong L1EntriesFor(in Qcow2Header header)
    {
        var l2EntryBits = (header.IncompatibleFeatures & Qcow2HeaderChecks.ExtendedL2Bit) != 0 ? 4 : 3;
        var shift = (int)(2 * header.ClusterBits) - l2EntryBits;
        return (header.Size >> shift) + ((header.Size & ((1UL << shift) - 1)) != 0 ? 1UL : 0UL);
    }

    // Takes every chunk in stream order, from offset 0.
    public InspectionFailure? Feed(long position, ReadOnlySpan<byte> chunk)
    {
        if ((_extensions.Feed(position, chunk) ?? _snapshots.Feed(position, chunk)) is { } failure)
        {
            return failure;
        }

        _l1.Feed(position, chunk);
        if (_l1.MalformedIndex >= 0)
        {
            return new InspectionFailure(InspectionFailureCodes.InvalidL1Table,
                $"The image's L1 entry {_l1.MalformedIndex} (0x{_l1.MalformedEntry:x16}) sets reserved bits or points to an L2 table that is not cluster-aligned.");
        }

        var tableWasComplete = _refcountTable.IsComplete;
        _refcountTable.Feed(position, chunk);
        if (_refcountTable.MalformedIndex >= 0)
        {
            return new InspectionFailure(InspectionFailureCodes.InvalidRefcountTable,
                $"The image's refcount table entry {_refcountTable.MalformedIndex} (0x{_refcountTable.MalformedEntry:x16}) sets reserved bits or points to a refcount block that is not cluster-aligned.");
        }

        if (!tableWasComplete && _refcountTable.IsComplete)
        {
            FindLastBlock(position);
        }

        ScanLastBlock(position, chunk);
        return null;
    }

    public InspectionFailure? Complete(long length)
    {
        var header = _header;
        if (header.HeaderLength > length)
        {
            return Truncated(length, $"inside its {header.HeaderLength}-byte header");
        }

        if (_extensions.Finish(length) is { } failure)
        {
            return failure;
        }

        var clusterSize = header.ClusterSize;
        return Outside(length, _refcountTable.End, "its refcount table")
            ?? Outside(length, _l1.End, "its active L1 table")
            ?? (_snapshots.IsDone ? Outside(length, _snapshots.End, "its snapshot table") : Truncated(length, "inside its snapshot table"))
            ?? Outside(length, _snapshots.HighestL1End, "a snapshot's L1 table")
            ?? Outside(length, _extensions.BitmapDirectoryEnd, "its bitmap directory")
            ?? Outside(length, _l1.HighestTarget, clusterSize, "an L2 table")
            ?? Outside(length, _refcountTable.HighestTarget, clusterSize, "a refcount block")
            ?? HighestUsedCluster(length);
    }

    private void FindLastBlock(long position)
    {
        if (_refcountTable.LastNonEmptyIndex < 0 || _refcountTable.LastNonEmptyTarget > long.MaxValue - (ulong)_header.ClusterSize)
        {
            return;
        }

        var start = (long)_refcountTable.LastNonEmptyTarget;
        _lastBlockIndex = _refcountTable.LastNonEmptyIndex;
        if (start >= position)
        {
            _lastBlockStart = start;
        }
        else if (start + _header.ClusterSize <= _prefix.Length)
        {
            // A block written before the table (qemu moves a refcount table that grows) has streamed past
            // already; while it is inside the prefix, it is still at hand.
            _lastBlockStart = start;
            ScanLastBlock(0, _prefix.Span);
        }

        // Otherwise the block went by before the table said what it was; the other checks still apply.
    }

    private void ScanLastBlock(long position, ReadOnlySpan<byte> chunk)
    {
        if (_lastBlockStart < 0)
        {
            return;
        }

        var from = Math.Max(position, _lastBlockStart);
        var to = Math.Min(position + chunk.Length, _lastBlockStart + _header.ClusterSize);
        if (from >= to)
        {
            return;
        }

        var bytes = chunk[(int)(from - position)..(int)(to - position)];
        var last = bytes.LastIndexOfAnyExcept((byte)0);
        if (last >= 0)
        {
            _lastNonZeroByte = from - _lastBlockStart + last;
            _lastNonZeroValue = bytes[last];
        }
    }

    // The last refcount block counts the clusters at the end of the image; the highest one it counts as used
    // must start inside the file, or clusters were cut off ("Leaked cluster" or "counting reference for region
    // exceeding the end of the file" in qemu-img check). Refcounts are big-endian entries of 2^order bits;
    // below 8 bits, qemu packs them into each byte from the least significant bit.
    private InspectionFailure? HighestUsedCluster(long length)
    {
        if (_lastNonZeroByte < 0)
        {
            return null;
        }

        var order = (int)_header.RefcountOrder;
        var entryInBlock = order >= 3
            ? _lastNonZeroByte / (1L << (order - 3))
            : (_lastNonZeroByte << (3 - order)) + ((31 - int.LeadingZeroCount(_lastNonZeroValue)) >> order);
        var entriesPerBlock = _header.ClusterSize * 8 >> order;
        var cluster = (_lastBlockIndex * entriesPerBlock) + entryInBlock;
        var clustersInFile = (length + _header.ClusterSize - 1) / _header.ClusterSize;
        return cluster < clustersInFile
            ? null
            : Truncated(length, $"before cluster {cluster}, which its refcounts count as in use");
    }

    private static InspectionFailure? Outside(long length, long end, string what) =>
        end <= length ? null : Truncated(length, $"before the end of {what} (byte {end})");

    private static InspectionFailure? Outside(long length, ulong start, long clusterSize, string what) =>
        start == 0 || (start <= (ulong)(long.MaxValue - clusterSize) && (long)start + clusterSize <= length)
            ? null
            : Truncated(length, $"before the end of {what} at byte {start}");

    private static InspectionFailure Truncated(long length, string where) =>
        new(InspectionFailureCodes.Truncated, $"The file is {length} bytes long and ends {where}; it is truncated or its header is wrong.");
}
