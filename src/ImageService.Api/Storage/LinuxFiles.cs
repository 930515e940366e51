using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ImageService.Api.Storage;

// The two file operations .NET has no API for, from libc: flushing a directory (a rename is durable
// only once its directory is flushed: rename(2), fsync(2)) and opening a file for direct I/O
// (O_DIRECT, which FileOptions cannot express). On other platforms both do nothing.
internal static partial class LinuxFiles
{
    // Direct writes need their buffer address, length and file offset to be multiples of the
    // device's logical block size; 4,096 covers every block size Linux file systems use.
    public const int DirectAlignment = 4096;

    private const int ReadOnly = 0;
    private const int WriteOnly = 1;
    private const int CloseOnExec = 0x80000;

    // The open(2) flags differ between architectures: ARM swaps O_DIRECTORY and O_DIRECT.
    private static readonly bool IsArm = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;
    private static readonly int DirectoryFlag = IsArm ? 0x4000 : 0x10000;
    private static readonly int DirectFlag = IsArm ? 0x10000 : 0x4000;

    public static void FlushDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(directory, ReadOnly | DirectoryFlag | CloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"Could not open a directory to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"Could not flush a directory (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // A second, write-only handle on an existing file that bypasses the page cache; null where the
    // platform or the file system (tmpfs before Linux 6.6, some FUSE file systems) has no direct I/O.
    public static SafeFileHandle? OpenForDirectWrite(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var fd = Open(path, WriteOnly | DirectFlag | CloseOnExec);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    // A buffer that direct writes accept as it is: starting on a DirectAlignment boundary of a
    // pinned array, so the address it was aligned by never moves.
    public static unsafe Memory<byte> AllocateAligned(int length)
    {
        var array = GC.AllocateUninitializedArray<byte>(length + DirectAlignment, pinned: true);
        fixed (byte* start = array)
        {
            var offset = (int)((DirectAlignment - ((nint)start & (DirectAlignment - 1))) & (DirectAlignment - 1));
            return array.AsMemory(offset, length);
        }
    }

    public static unsafe bool IsDirectAligned(ReadOnlySpan<byte> data, long offset)
    {
        fixed (byte* start = data)
        {
            return ((nint)start & (DirectAlignment - 1)) == 0 && data.Length % DirectAlignment == 0 && offset % DirectAlignment == 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
