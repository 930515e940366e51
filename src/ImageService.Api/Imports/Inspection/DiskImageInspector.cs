namespace ImageService.Api.Imports.Inspection;

// Judges a qcow2 upload as it streams past once, on its way from the source URL to storage. Memory stays
// constant whatever the image's size: a fixed prefix, the last 512 bytes, and the few numbers Qcow2Layout
// keeps about each metadata table. The caller appends every byte in order, then calls Complete once the stream
// has ended: that is when the length is known, and the checks that need it (does every table lie inside the
// file?) are made on the count of bytes appended.
//
// The verdict on the header is made once, when the prefix is full, rather than as soon as some field is
// readable: 64 KiB is nothing next to an image, one decision point makes the verdict independent of how the
// stream happens to be chunked, and by then every prefix probe can run, so a refusal can name the format a
// file really is. A file shorter than the prefix is judged at Complete, on all of its bytes. After the header,
// Qcow2Layout sees the prefix again and then every chunk, and may refuse at any byte (an extension naming a
// data file 1 MiB in, an L1 entry pointing nowhere).
internal sealed class DiskImageInspector
{
    // Large enough for every prefix probe (the third ISO 9660 descriptor ends at 0x9006) and for the whole
    // fixed header. It also stays below the 85,000-byte large object heap threshold, so each import's buffer
    // is an ordinary allocation.
    public const int PrefixSize = 64 * 1024;

    private readonly long _maxVirtualSize;
    private readonly byte[] _prefix = new byte[PrefixSize];

    // A ring: the byte at stream offset p lives at index p % FooterSize, so keeping the tail never shifts.
    private readonly byte[] _tail = new byte[ForeignFormatProbe.FooterSize];

    private long _length;
    private bool _prefixJudged;
    private long _virtualSize;
    private Qcow2Layout? _layout;
    private InspectionFailure? _refusal;
    private InspectionResult? _result;

    public DiskImageInspector(long maxVirtualSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxVirtualSize);
        _maxVirtualSize = maxVirtualSize;
    }

    // Returns the refusal once it is decided; the caller should stop the download then. Later calls return
    // the same failure, and so does Complete.
    public InspectionFailure? Append(ReadOnlySpan<byte> chunk)
    {
        if (_result is not null)
        {
            throw new InvalidOperationException("The inspector has already completed.");
        }

        if (_refusal is not null)
        {
            return _refusal;
        }

        KeepTail(chunk);
        var position = _length;
        _length += chunk.Length;
        if (!_prefixJudged)
        {
            var take = (int)Math.Min(chunk.Length, PrefixSize - position);
            chunk[..take].CopyTo(_prefix.AsSpan((int)position));
            if (_length < PrefixSize)
            {
                return null;
            }

            _prefixJudged = true;
            if (JudgeHeader(_prefix, ForeignFormats.None) is { } refused)
            {
                return _refusal = refused;
            }

            position += take;
            chunk = chunk[take..];
        }

        return _refusal = _layout!.Feed(position, chunk);
    }

    // Called once the stream has ended; calling it again returns the same result.
    public InspectionResult Complete()
    {
        if (_result is not null)
        {
            return _result;
        }

        var footerFormats = ProbeFooter();
        if (_refusal is null && !_prefixJudged)
        {
            _refusal = JudgeHeader(_prefix.AsSpan(0, (int)_length), footerFormats);
        }

        // A polyglot is named as one whatever else is wrong with it, as it is when the file is short.
        if (_refusal is null && footerFormats != ForeignFormats.None)
        {
            _refusal = Ambiguous(footerFormats);
        }

        _refusal ??= _layout!.Complete(_length);

        _result = _refusal is null ? InspectionResult.Success(_virtualSize) : InspectionResult.Failed(_refusal);
        return _result;
    }

    private void KeepTail(ReadOnlySpan<byte> chunk)
    {
        var start = _length;
        if (chunk.Length > _tail.Length)
        {
            start += chunk.Length - _tail.Length;
            chunk = chunk[^_tail.Length..];
        }

        var index = (int)(start % ForeignFormatProbe.FooterSize);
        var first = Math.Min(chunk.Length, _tail.Length - index);
        chunk[..first].CopyTo(_tail.AsSpan(index));
        chunk[first..].CopyTo(_tail);
    }

    private ForeignFormats ProbeFooter()
    {
        if (_length < _tail.Length)
        {
            return ForeignFormats.None;
        }

        // The ring's oldest byte, the footer's first, sits where the next byte would be written.
        var oldest = (int)(_length % ForeignFormatProbe.FooterSize);
        Span<byte> footer = stackalloc byte[ForeignFormatProbe.FooterSize];
        _tail.AsSpan(oldest).CopyTo(footer);
        _tail.AsSpan(0, oldest).CopyTo(footer[(_tail.Length - oldest)..]);
        return ForeignFormatProbe.ProbeFooter(footer);
    }

    // Other formats are probed in the raw bytes, not in what the qcow2 maps to the guest. A qcow2 with small
    // clusters can legitimately hold guest data at 0x8001, so an honest image could carry "CD001" there, yet
    // we refuse it as Glance does in its fix for CVE-2024-32498 (Launchpad bug 2059809): a tool that sniffs
    // the raw file, not qemu, decides how a polyglot is used, and an honest image never needs to be one.
    // Qcow2 images written by qemu with the default 64 KiB clusters keep 0x8001 inside the header cluster,
    // where qcow2.txt forbids any data but the header, its extensions and the backing file name.
    //
    // The header is judged before the probes, so a file gets the same code whether it is shorter than the
    // prefix (everything judged at Complete) or longer (the footer probed only after the prefix verdict).
    // On success the layout checks start, on the prefix first.
    private InspectionFailure? JudgeHeader(ReadOnlySpan<byte> prefix, ForeignFormats alsoFound)
    {
        var foreign = ForeignFormatProbe.ProbePrefix(prefix) | alsoFound;
        if (!Qcow2Header.HasMagic(prefix))
        {
            return new InspectionFailure(
                InspectionFailureCodes.NotQcow2,
                foreign == ForeignFormats.None
                    ? "The file does not start with the qcow2 magic; only qcow2 images are accepted."
                    : $"The file is not a qcow2 image; it looks like {ForeignFormatProbe.Describe(foreign)}.");
        }

        if (prefix.Length < Qcow2Header.Version2Length ||
            (Qcow2Header.ReadVersion(prefix) >= 3 && prefix.Length < Qcow2Header.Version3MinimumLength))
        {
            return new InspectionFailure(
                InspectionFailureCodes.NotQcow2,
                $"The file is {prefix.Length} bytes long, too short to hold a qcow2 header.");
        }

        var header = Qcow2Header.Read(prefix);
        if (Qcow2HeaderChecks.Check(header, _maxVirtualSize) is { } refused)
        {
            return refused;
        }

        if (foreign != ForeignFormats.None)
        {
            return Ambiguous(foreign);
        }

        _virtualSize = Qcow2Layout.VirtualSize(header);
        _layout = new Qcow2Layout(header, _prefix.AsMemory(0, prefix.Length));
        return _layout.Feed(0, prefix);
    }

    private static InspectionFailure Ambiguous(ForeignFormats foreign) =>
        new(
            InspectionFailureCodes.AmbiguousFormat,
            $"The file is a qcow2 image but also looks like {ForeignFormatProbe.Describe(foreign)}; an image that reads as two formats is refused.");
}
