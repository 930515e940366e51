using System.Buffers.Binary;

namespace ImageService.Api.Imports.Inspection;

// Reads the 64-bit big-endian entries of one metadata table (the active L1 table, or the refcount table) as
// its bytes stream past, keeping only what the verdict needs: the highest cluster an entry points to, the
// first malformed entry (reserved bits set, or an offset not aligned to a cluster: qemu-img check counts
// both as corruption), and the last non-empty entry. Memory is constant whatever the table's size (qemu
// allows 32 MiB of L1 table).
internal sealed class Qcow2TableScan(long start, long length, ulong offsetMask, ulong reservedMask, long clusterSize)
{
    private readonly byte[] _partial = new byte[sizeof(ulong)];
    private int _partialLength;
    private long _entries;

    public long Start { get; } = start;

    public long End { get; } = start + length;

    public bool IsComplete => _entries * sizeof(ulong) >= End - Start;

    // The highest offset any entry points to; 0 while every entry is empty (offset 0 is the header, which no
    // entry may point to, so qcow2 uses 0 for "unallocated").
    public ulong HighestTarget { get; private set; }

    public long LastNonEmptyIndex { get; private set; } = -1;

    public ulong LastNonEmptyTarget { get; private set; }

    public long MalformedIndex { get; private set; } = -1;

    public ulong MalformedEntry { get; private set; }

    // Takes the bytes of a chunk that starts at stream offset `position`; the part outside the table is ignored.
    // Chunks arrive in stream order, so the table's bytes arrive in order too.
    public void Feed(long position, ReadOnlySpan<byte> chunk)
    {
        var from = Math.Max(position, Start);
        var to = Math.Min(position + chunk.Length, End);
        if (from >= to)
        {
            return;
        }

        var bytes = chunk[(int)(from - position)..(int)(to - position)];
        if (_partialLength > 0)
        {
            var take = Math.Min(bytes.Length, sizeof(ulong) - _partialLength);
            bytes[..take].CopyTo(_partial.AsSpan(_partialLength));
            _partialLength += take;
            bytes = bytes[take..];
            if (_partialLength < sizeof(ulong))
            {
                return;
            }

            Entry(BinaryPrimitives.ReadUInt64BigEndian(_partial));
            _partialLength = 0;
        }

        while (bytes.Length >= sizeof(ulong))
        {
            Entry(BinaryPrimitives.ReadUInt64BigEndian(bytes));
            bytes = bytes[sizeof(ulong)..];
        }

        bytes.CopyTo(_partial);
        _partialLength = bytes.Length;
    }

    private void Entry(ulong entry)
    {
        var index = _entries++;
        var target = entry & offsetMask;
        if (MalformedIndex < 0 && ((entry & reservedMask) != 0 || target % (ulong)clusterSize != 0))
        {
            MalformedIndex = index;
            MalformedEntry = entry;
        }

        if (target != 0)
        {
            LastNonEmptyIndex = index;
            LastNonEmptyTarget = target;
            HighestTarget = Math.Max(HighestTarget, target);
        }
    }
}
