namespace ImageService.Api.Imports.Inspection;

// The checks qemu makes on the header fields when it opens an image (block/qcow2.c, qcow2_do_open, quoted by
// its error text), in qemu's order, plus our policy: an image must be self-contained (no backing file, no
// external data file), unencrypted, and declare a virtual size we can provision. What needs the file's length
// (do the tables lie inside the file?) waits for Qcow2Layout; the header extensions for Qcow2ExtensionWalk.
internal static class Qcow2HeaderChecks
{
    // qcow2.h: MIN_CLUSTER_BITS and MAX_CLUSTER_BITS ("qemu as of today has an implementation limit of 2 MB
    // as the maximum cluster size").
    public const int MinimumClusterBits = 9;
    public const int MaximumClusterBits = 21;

    public const ulong CorruptBit = 1UL << 1;
    public const ulong ExternalDataFileBit = 1UL << 2;
    public const ulong CompressionTypeBit = 1UL << 3;
    public const ulong ExtendedL2Bit = 1UL << 4;

    // qcow2.h QCOW2_INCOMPAT_MASK: dirty, corrupt, data file, compression type, extended L2 entries; "an
    // implementation must fail to open an image if an unknown bit is set" (qcow2.txt).
    public const ulong KnownIncompatibleFeatures = 0b1_1111;

    // qcow2.h QCOW2_AUTOCLEAR_DATA_FILE_RAW.
    public const ulong DataFileRawBit = 1UL << 1;

    // qcow2.h: QCOW_MAX_L1_SIZE, QCOW_MAX_REFTABLE_SIZE, QCOW_MAX_SNAPSHOTS, and sizeof(QCowSnapshotHeader).
    public const long MaxL1Bytes = 32L * 1024 * 1024;
    public const long MaxRefcountTableBytes = 8L * 1024 * 1024;
    public const long MaxSnapshots = 65536;
    public const int SnapshotHeaderSize = 40;

    private const uint CryptAes = 1;
    private const uint CryptLuks = 2;
    private const byte CompressionZlib = 0;
    private const byte CompressionZstd = 1;

    public static InspectionFailure? Check(in Qcow2Header header, long maxVirtualSize)
    {
        if (header.Version is not (2 or 3))
        {
            return Fail(InspectionFailureCodes.UnsupportedQcow2Version,
                $"The image is qcow2 version {header.Version}; only versions 2 and 3 are supported.");
        }

        // "Unsupported cluster size: 2^%u".
        if (header.ClusterBits is < MinimumClusterBits or > MaximumClusterBits)
        {
            return Fail(InspectionFailureCodes.InvalidClusterBits,
                $"The image's cluster_bits is {header.ClusterBits}; qcow2 allows {MinimumClusterBits} to {MaximumClusterBits} (512-byte to 2 MiB clusters).");
        }

        // "qcow2 header too short" and "qcow2 header exceeds cluster size"; qcow2.txt adds that the length
        // "must be a multiple of 8", which qemu itself does not check and no qemu ever wrote otherwise.
        if (header.Version == 3 &&
            (header.HeaderLength < Qcow2Header.Version3MinimumLength || header.HeaderLength % 8 != 0 || header.HeaderLength > header.ClusterSize))
        {
            return Fail(InspectionFailureCodes.InvalidHeaderLength,
                $"The image's header_length is {header.HeaderLength}; qcow2 version 3 needs a multiple of 8 from {Qcow2Header.Version3MinimumLength} up to the cluster size.");
        }

        // A backing file makes qemu open a second path that the image names, which on the host can be any file
        // the hypervisor can read. The spec leaves backing_file_size undefined without a backing file, but qemu
        // always writes 0 there; a non-zero value in either field is a reference or an attempt to hide one.
        if (header.BackingFileOffset != 0 || header.BackingFileSize != 0)
        {
            return BackingFile();
        }

        return CheckFeatures(header) ?? CheckRefcountsAndEncryption(header) ?? CheckTables(header, maxVirtualSize);
    }

    public static InspectionFailure BackingFile() =>
        new(InspectionFailureCodes.BackingFile, "The image names a backing file; images must be self-contained.");

    // An external data file makes qemu read guest data from a path the image names: CVE-2024-32498
    // (OSSA-2024-001) used it to read host files through Glance, Cinder and Nova.
    public static InspectionFailure ExternalDataFile() =>
        new(InspectionFailureCodes.ExternalDataFile, "The image keeps its data in an external data file; images must be self-contained.");

    private static InspectionFailure? CheckFeatures(in Qcow2Header header)
    {
        var incompatible = header.IncompatibleFeatures;
        if ((incompatible & ExternalDataFileBit) != 0)
        {
            return ExternalDataFile();
        }

        // "data-file-raw requires a data file": qemu refuses the raw-data-file bit on an image without one.
        if ((header.AutoclearFeatures & DataFileRawBit) != 0)
        {
            return Fail(InspectionFailureCodes.ExternalDataFile,
                "The image sets the raw external data file bit (data_file_raw); images must be self-contained.");
        }

        // validate_compression_type: "unknown compression type: %u", and the feature bit must be set exactly
        // when the type is not zlib ("Compression type incompatible feature bit must (not) be set").
        if (header.CompressionType is not (CompressionZlib or CompressionZstd))
        {
            return Fail(InspectionFailureCodes.InvalidCompressionType,
                $"The image's compression_type is {header.CompressionType}; qemu knows only 0 (zlib) and 1 (zstd).");
        }

        if ((header.CompressionType != CompressionZlib) != ((incompatible & CompressionTypeBit) != 0))
        {
            return Fail(InspectionFailureCodes.InvalidCompressionType,
                "The image's compression type and its compression type feature bit disagree; qemu refuses to open it.");
        }

        // "Unsupported qcow2 feature(s)".
        var unknown = incompatible & ~KnownIncompatibleFeatures;
        if (unknown != 0)
        {
            return Fail(InspectionFailureCodes.UnknownIncompatibleFeatures,
                $"The image sets incompatible feature bits 0x{unknown:x} that this service does not know; qcow2 requires refusing such images.");
        }

        // "Image is corrupt; cannot be opened read/write": only a repair may open it, and a VM would write.
        if ((incompatible & CorruptBit) != 0)
        {
            return Fail(InspectionFailureCodes.Corrupt,
                "The image is marked corrupt; repair it with qemu-img check -r all before uploading.");
        }

        // "Unsupported subcluster size": extended L2 entries split a cluster in 32, which must stay 512 bytes
        // or more.
        if ((incompatible & ExtendedL2Bit) != 0 && header.ClusterBits < MinimumClusterBits + 5)
        {
            return Fail(InspectionFailureCodes.InvalidClusterBits,
                $"The image uses extended L2 entries with cluster_bits {header.ClusterBits}; qcow2 requires at least {MinimumClusterBits + 5}.");
        }

        return null;
    }

    private static InspectionFailure? CheckRefcountsAndEncryption(in Qcow2Header header)
    {
        // "Reference count entry width too large; may not exceed 64 bits".
        if (header.RefcountOrder > 6)
        {
            return Fail(InspectionFailureCodes.InvalidRefcountOrder,
                $"The image's refcount_order is {header.RefcountOrder}; qcow2 allows at most 6 (64-bit reference counts).");
        }

        // docs/imports.md, "Encrypted images": neither encryption is accepted. qemu's system emulators refuse
        // legacy AES ("Use of AES-CBC encrypted qcow2 images is no longer supported in system emulators"), and a
        // LUKS image needs a passphrase that the image API has no way to carry, so neither could boot.
        if (header.CryptMethod is CryptAes or CryptLuks)
        {
            return Fail(InspectionFailureCodes.Encrypted, header.CryptMethod == CryptAes
                ? "The image is encrypted with legacy qcow2 AES, which qemu no longer runs; convert it to an unencrypted qcow2 (qemu-img convert -O qcow2)."
                : "The image is LUKS encrypted, and the platform has no passphrase to open it; upload it unencrypted.");
        }

        // qcow2_update_options_prepare: "Unsupported encryption method %d".
        if (header.CryptMethod != 0)
        {
            return Fail(InspectionFailureCodes.UnknownCryptMethod,
                $"The image's crypt_method is {header.CryptMethod}; qcow2 knows only 0 (none), 1 (AES) and 2 (LUKS).");
        }

        return null;
    }

    private static InspectionFailure? CheckTables(in Qcow2Header header, long maxVirtualSize)
    {
        var clusterSize = header.ClusterSize;

        // "Image does not contain a reference count table".
        if (header.RefcountTableClusters == 0)
        {
            return Fail(InspectionFailureCodes.InvalidRefcountTable, "The image has no reference count table (refcount_table_clusters is 0).");
        }

        if (ValidateTable(header.RefcountTableOffset, header.RefcountTableClusters, clusterSize, MaxRefcountTableBytes, clusterSize) is { } refcounts)
        {
            return Fail(InspectionFailureCodes.InvalidRefcountTable, $"The image's reference count table is {refcounts}.");
        }

        if (ValidateTable(header.SnapshotsOffset, header.SnapshotCount, SnapshotHeaderSize, SnapshotHeaderSize * MaxSnapshots, clusterSize) is { } snapshots)
        {
            return Fail(InspectionFailureCodes.InvalidSnapshotTable, $"The image's snapshot table is {snapshots}.");
        }

        if (ValidateTable(header.L1TableOffset, header.L1Size, sizeof(ulong), MaxL1Bytes, clusterSize) is { } l1)
        {
            return Fail(InspectionFailureCodes.InvalidL1Table, $"The image's active L1 table is {l1}.");
        }

        // bs->total_sectors = header.size / BDRV_SECTOR_SIZE: qemu rounds the size down to whole 512-byte
        // sectors, and that is the virtual size qemu-img info reports and a VM sees.
        var virtualSize = Qcow2Layout.VirtualSize(header);
        if (virtualSize == 0)
        {
            return Fail(InspectionFailureCodes.InvalidVirtualSize,
                $"The image declares a virtual size of {header.Size} bytes, less than one 512-byte sector.");
        }

        if (header.Size > (ulong)maxVirtualSize)
        {
            return Fail(InspectionFailureCodes.VirtualSizeTooLarge,
                $"The image's virtual size is {header.Size} bytes, above the limit of {maxVirtualSize} bytes.");
        }

        // "Image is too big" and "L1 table is too small": the L1 table must map every byte of the disk.
        var l1Needed = Qcow2Layout.L1EntriesFor(header);
        if (l1Needed > int.MaxValue)
        {
            return Fail(InspectionFailureCodes.VirtualSizeTooLarge,
                $"The image's virtual size of {header.Size} bytes needs more L1 entries than qemu supports.");
        }

        if (header.L1Size < l1Needed)
        {
            return Fail(InspectionFailureCodes.InvalidL1Table,
                $"The image's active L1 table has {header.L1Size} entries, too few to map its virtual size of {header.Size} bytes ({l1Needed} needed).");
        }

        return null;
    }

    // qcow2_validate_table: "%s too large" when the table exceeds qemu's limit, "%s offset invalid" when it is
    // not cluster-aligned or would end past INT64_MAX. Returns what is wrong, or null.
    private static string? ValidateTable(ulong offset, ulong entries, long entryLength, long maxBytes, long clusterSize)
    {
        if (entries > (ulong)(maxBytes / entryLength))
        {
            return $"too large ({entries} entries of {entryLength} bytes; qemu's limit is {maxBytes} bytes)";
        }

        if ((ulong)long.MaxValue - entries * (ulong)entryLength < offset || offset % (ulong)clusterSize != 0)
        {
            return $"at an invalid offset ({offset}, which must be a multiple of the {clusterSize}-byte cluster size)";
        }

        return null;
    }

    private static InspectionFailure Fail(string code, string detail) => new(code, detail);
}
