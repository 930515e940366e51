using System.Buffers.Binary;

namespace ImageService.Api.Imports.Inspection;

// Reads the snapshot table as it streams past, the way qemu's qcow2_read_snapshots reads it (block/
// qcow2-snapshot.c): nb_snapshots entries from snapshots_offset, each a 40-byte header, its extra data, its
// ID and its name, the next entry starting at the next multiple of 8. Only the 40-byte header is ever held;
// what the verdict needs is where the table ends and the furthest byte any snapshot's L1 table reaches, both
// checked against the file's length by Qcow2Layout.
internal sealed class Qcow2SnapshotScan : Qcow2RecordStream
{
    private const int EntryHeaderLength = Qcow2HeaderChecks.SnapshotHeaderSize;

    // qcow2.h: QCOW_MAX_SNAPSHOT_EXTRA_DATA and QCOW_MAX_SNAPSHOTS_SIZE.
    private const uint MaxExtraData = 1024;
    private const long MaxTableBytes = 1024L * Qcow2HeaderChecks.MaxSnapshots;

    private readonly long _start;
    private readonly long _clusterSize;
    private uint _remaining;
    private int _index;

    public Qcow2SnapshotScan(in Qcow2Header header)
        : base((long)header.SnapshotsOffset, EntryHeaderLength)
    {
        _start = (long)header.SnapshotsOffset;
        _clusterSize = header.ClusterSize;
        _remaining = header.SnapshotCount;
        Wanted = EntryHeaderLength;
        IsDone = _remaining == 0;
        End = IsDone ? 0 : _start;
    }

    // Where the last entry's name ends, once IsDone; 0 without snapshots, whatever snapshots_offset says.
    public long End { get; private set; }

    // The end of the snapshot L1 table that reaches furthest into the file; 0 without snapshots.
    public long HighestL1End { get; private set; }

    protected override InspectionFailure? Step()
    {
        var entry = Held.AsSpan();
        var l1Offset = BinaryPrimitives.ReadUInt64BigEndian(entry);
        var l1Size = BinaryPrimitives.ReadUInt32BigEndian(entry[8..]);
        var idLength = BinaryPrimitives.ReadUInt16BigEndian(entry[12..]);
        var nameLength = BinaryPrimitives.ReadUInt16BigEndian(entry[14..]);
        var extraLength = BinaryPrimitives.ReadUInt32BigEndian(entry[36..]);
        var index = _index++;

        // "Too much extra metadata in snapshot table entry %i".
        if (extraLength > MaxExtraData)
        {
            return Invalid($"The image's snapshot {index} has {extraLength} bytes of extra data; qemu allows {MaxExtraData}.");
        }

        // qemu-img check: "snapshot ... l1_size is invalid" and "l1_offset invalid"; opening the snapshot fails
        // the same way ("Snapshot L1 table too large", "Snapshot L1 table offset invalid").
        if (l1Size > Qcow2HeaderChecks.MaxL1Bytes / sizeof(ulong) || l1Offset % (ulong)_clusterSize != 0 || l1Offset > (ulong)(long.MaxValue - Qcow2HeaderChecks.MaxL1Bytes))
        {
            return Invalid($"The image's snapshot {index} has an L1 table of {l1Size} entries at byte {l1Offset}, which qemu refuses.");
        }

        HighestL1End = Math.Max(HighestL1End, (long)l1Offset + (l1Size * (long)sizeof(ulong)));
        var entryEnd = Offset + extraLength + idLength + nameLength;

        // "Snapshot table is too big".
        if (entryEnd - _start > MaxTableBytes)
        {
            return Invalid($"The image's snapshot table is larger than qemu's limit of {MaxTableBytes} bytes.");
        }

        End = entryEnd;
        IsDone = --_remaining == 0;
        Skip = ((entryEnd + 7) & ~7L) - Offset;
        return null;
    }

    private static InspectionFailure Invalid(string detail) => new(InspectionFailureCodes.InvalidSnapshotTable, detail);
}
