using System.Buffers;
using System.Runtime.InteropServices;

namespace ImageService.Api.Imports.Sources;

// The ring of a parallel download (ParallelRangeStream): tens of MiB that live exactly as long as
// one download. As arrays on the GC heap they stayed resident after the import, large-object
// garbage until the next full collection, which nothing in an idle service triggers
// (bench/import.sh, one 1 GiB import: 47 MB of dead large objects, RSS 227 MiB); mapped from the
// kernel, they go back the moment the download ends. .NET has no API for private anonymous memory
// (MemoryMappedFile.CreateNew maps a shared-memory file), hence mmap(2) and munmap(2) from libc.
// Elsewhere than Linux the ring is an ordinary array.
internal sealed unsafe partial class AnonymousMemory : MemoryManager<byte>
{
    private const int ReadWrite = 0x1 | 0x2;
    private const int PrivateAnonymous = 0x02 | 0x20;

    private readonly int _length;
    private byte[]? _array;
    private byte* _start;

    public AnonymousMemory(int length)
    {
        _length = length;
        if (!OperatingSystem.IsLinux())
        {
            _array = GC.AllocateUninitializedArray<byte>(length);
            return;
        }

        var start = Map(null, (nuint)length, ReadWrite, PrivateAnonymous, -1, 0);
        if (start == (void*)-1)
        {
            throw new InsufficientMemoryException($"Could not map {length} bytes for a parallel download (errno {Marshal.GetLastPInvokeError()}).");
        }

        _start = (byte*)start;
    }

    // Every access goes through here, so one after the unmap is an exception, not a fault.
    public override Span<byte> GetSpan()
    {
        if (_array is not null)
        {
            return _array;
        }

        ObjectDisposedException.ThrowIf(_start == null, this);
        return new Span<byte>(_start, _length);
    }

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        if (_array is not null)
        {
            var handle = GCHandle.Alloc(_array, GCHandleType.Pinned);
            return new MemoryHandle((byte*)handle.AddrOfPinnedObject() + elementIndex, handle);
        }

        ObjectDisposedException.ThrowIf(_start == null, this);
        return new MemoryHandle(_start + elementIndex);
    }

    public override void Unpin()
    {
    }

    // Only once nothing reads into the memory any more: ParallelRangeStream releases it after every
    // connection has stopped.
    protected override void Dispose(bool disposing)
    {
        _array = null;
        if (_start != null)
        {
            _ = Unmap(_start, (nuint)_length);
            _start = null;
        }
    }

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial void* Map(void* address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Unmap(void* address, nuint length);
}
