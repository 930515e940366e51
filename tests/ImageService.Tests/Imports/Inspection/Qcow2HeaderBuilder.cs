using System.Buffers.Binary;

namespace ImageService.Tests.Imports.Inspection;

// Writes a qcow2 file whose header is valid by default (docs/interop/qcow2.txt), with a setter for every
// field a hostile image could abuse. The bytes after the header are zeros; tests patch them as they need.
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

    public ulong IncompatibleFeatures { get; init; }

    // Null writes the smallest valid version 3 length, 104; version 2 has no such field.
    public uint? HeaderLength { get; init; }

    public IList<(uint Type, byte[] Data)> Extensions { get; init; } = [];

    // Three 64 KiB clusters, like the file qemu-img create writes, so the file runs past the 64 KiB prefix.
    public int FileLength { get; init; } = 3 * 64 * 1024;

    public byte[] Build()
    {
        var file = new byte[FileLength];
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

        var extensionOffset = 72;
        if (Version >= 3)
        {
            var headerLength = HeaderLength ?? 104;
            BinaryPrimitives.WriteUInt64BigEndian(span[72..], IncompatibleFeatures);
            BinaryPrimitives.WriteUInt32BigEndian(span[96..], 4);
            BinaryPrimitives.WriteUInt32BigEndian(span[100..], headerLength);
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
        return file;
    }
}
