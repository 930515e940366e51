namespace ImageService.Api.Imports.Inspection;

// Judges a qcow2 upload as it streams past once, on its way from the source URL to storage. It keeps only
// a fixed prefix and the last 512 bytes, so memory stays constant whatever the image's size, and once the
// prefix is full each Append is a copy of at most 512 bytes.
//
// The verdict on the prefix is made once, when the prefix is full, rather than as soon as some field is
// readable: 64 KiB is nothing next to an image, one decision point makes the verdict independent of how the
// stream happens to be chunked, and by then every prefix probe can run, so a refusal can name the format a
// file really is. A file shorter than the prefix is judged at Complete, on all of its bytes.
internal sealed class DiskImageInspector
{
    // Large enough for every prefix probe (the third ISO 9660 descriptor ends at 0x9006) and for the qcow2
    // header extensions qemu writes, which end a few hundred bytes into the first cluster. It also stays
    // below the 85,000-byte large object heap threshold, so each import's buffer is an ordinary allocation.
    public const int PrefixSize = 64 * 1024;

    private readonly long _maxVirtualSize;
    private readonly byte[] _prefix = new byte[PrefixSize];

    // A ring: the byte at stream offset p lives at index p % FooterSize, so keeping the tail never shifts.
    private readonly byte[] _tail = new byte[ForeignFormatProbe.FooterSize];

    private long _length;
    private InspectionResult? _prefixVerdict;
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

        KeepTail(chunk);
        if (_prefixVerdict is null)
        {
            FillPrefix(chunk);
        }
        else
        {
            _length += chunk.Length;
        }

        return _prefixVerdict?.Failure;
    }

    // Called once the stream has ended; calling it again returns the same result.
    public InspectionResult Complete()
    {
        if (_result is not null)
        {
            return _result;
        }

        var footerFormats = ProbeFooter();
        if (_prefixVerdict is null)
        {
            _result = Judge(_prefix.AsSpan(0, (int)_length), footerFormats);
        }
        else if (_prefixVerdict.Succeeded && footerFormats != ForeignFormats.None)
        {
            _result = Ambiguous(footerFormats);
        }
        else
        {
            _result = _prefixVerdict;
        }

        return _result;
    }

    private void FillPrefix(ReadOnlySpan<byte> chunk)
    {
        var take = (int)Math.Min(chunk.Length, PrefixSize - _length);
        chunk[..take].CopyTo(_prefix.AsSpan((int)_length));
        _length += chunk.Length;
        if (_length >= PrefixSize)
        {
            _prefixVerdict = Judge(_prefix, ForeignFormats.None);
        }
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
    private InspectionResult Judge(ReadOnlySpan<byte> prefix, ForeignFormats alsoFound)
    {
        var foreign = ForeignFormatProbe.ProbePrefix(prefix) | alsoFound;
        if (!Qcow2Header.HasMagic(prefix))
        {
            return InspectionResult.Failed(
                InspectionFailureCodes.NotQcow2,
                foreign == ForeignFormats.None
                    ? "The file does not start with the qcow2 magic; only qcow2 images are accepted."
                    : $"The file is not a qcow2 image; it looks like {ForeignFormatProbe.Describe(foreign)}.");
        }

        var header = Qcow2Header.Inspect(prefix, _maxVirtualSize);
        return header.Succeeded && foreign != ForeignFormats.None ? Ambiguous(foreign) : header;
    }

    private static InspectionResult Ambiguous(ForeignFormats foreign) =>
        InspectionResult.Failed(
            InspectionFailureCodes.AmbiguousFormat,
            $"The file is a qcow2 image but also looks like {ForeignFormatProbe.Describe(foreign)}; an image that reads as two formats is refused.");
}
