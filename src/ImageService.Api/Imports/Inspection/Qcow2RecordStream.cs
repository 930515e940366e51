namespace ImageService.Api.Imports.Inspection;

// A sequence of variable-length records in a qcow2 file (header extensions, snapshot table entries) read as
// the file streams past: the fixed part of each record is collected into a small buffer, whatever the
// chunking, and handed to Step, which says how much to skip and how much to collect next. Nothing else is
// held, so memory is constant however long the records are.
internal abstract class Qcow2RecordStream(long offset, int capacity)
{
    private int _heldLength;

    public bool IsDone { get; protected set; }

    // Where the next unread byte of the records is, in file offsets.
    protected long Offset { get; private set; } = offset;

    protected byte[] Held { get; } = new byte[capacity];

    // How many bytes Step needs next, and how many to pass over before collecting them.
    protected int Wanted { get; set; }

    protected long Skip { get; set; }

    protected int Missing => Wanted - _heldLength;

    // Takes every chunk in stream order; a chunk may start before the records or end after them.
    public InspectionFailure? Feed(long position, ReadOnlySpan<byte> chunk)
    {
        while (!IsDone)
        {
            if (Offset < position || Offset >= position + chunk.Length)
            {
                return null;
            }

            var bytes = chunk[(int)(Offset - position)..];
            if (Skip > 0)
            {
                var skipped = Math.Min(Skip, bytes.Length);
                Skip -= skipped;
                Offset += skipped;
                continue;
            }

            var take = Math.Min(bytes.Length, Wanted - _heldLength);
            bytes[..take].CopyTo(Held.AsSpan(_heldLength));
            _heldLength += take;
            Offset += take;
            if (_heldLength == Wanted)
            {
                _heldLength = 0;
                if (Step() is { } failure)
                {
                    return failure;
                }
            }
        }

        return null;
    }

    // Held[..Wanted] holds the bytes asked for, ending at Offset.
    protected abstract InspectionFailure? Step();

    // Moves past bytes that are not in the file (qemu reads them as zeros), for a reader that needs no more.
    protected void SkipToEnd()
    {
        Offset += Skip;
        Skip = 0;
    }
}
