using System.Buffers.Binary;
using ImageService.Api.Imports.Inspection;
using ImageService.Tests.Imports.Inspection;
using ImageService.Tests.Uploads;

namespace ImageService.Tests.Imports;

// Issue 12, points 1, 2 and the virtual_size part of 9: real qcow2 files written by qemu-img, some with patched
// bytes, imported through the real pipeline from the loopback source. Each file is also put to qemu-img info
// and qemu-img check, and the service must agree with qemu: whatever qemu refuses to open, or opens but finds
// errors or leaks in, is killed; whatever qemu opens cleanly is active with qemu's virtual size, unless our
// policy refuses it (self-contained, unencrypted, a disk of at least one sector), which the table says.
public sealed class ImportQcow2ValidationTests(ImportFixture fixture) : IClassFixture<ImportFixture>
{
    private const int MiB = 1024 * 1024;

    // The header fields' offsets in docs/interop/qcow2.txt.
    private const int SizeField = 24;
    private const int CryptMethodField = 32;
    private const int L1SizeField = 36;
    private const int L1OffsetField = 40;
    private const int RefcountTableOffsetField = 48;
    private const int RefcountTableClustersField = 56;
    private const int SnapshotCountField = 60;
    private const int SnapshotsOffsetField = 64;
    private const int IncompatibleFeaturesField = 72;
    private const int AutoclearFeaturesField = 88;
    private const int RefcountOrderField = 96;
    private const int HeaderLengthField = 100;
    private const int CompressionTypeField = 104;

    // What qemu-img create writes for a 10M image with the defaults: the header and its extensions in
    // cluster 0, the refcount table at 0x10000, its block at 0x20000 and the one-entry L1 table at 0x30000.
    private const int FreshL1Offset = 0x30000;

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // Accepted: qemu opens them cleanly.
        ["fresh"] = new(d => d.Fresh(), null),
        ["with data"] = new(d => d.WithData(), null),
        ["version 2 with data"] = new(d => d.WithData("-o", "compat=0.10"), null),
        ["512-byte clusters with data"] = new(d => d.WithData("-o", "cluster_size=512"), null),
        ["2 MiB clusters"] = new(d => d.Fresh("-o", "cluster_size=2M"), null),
        ["zstd compression"] = new(d => d.WithData("-o", "compression_type=zstd", "-c"), null),
        ["extended L2 entries"] = new(d => d.WithData("-o", "extended_l2=on,cluster_size=64K"), null),
        ["internal snapshot"] = new(d => d.WithSnapshot(), null),
        ["persistent bitmap"] = new(d => d.WithBitmap(), null),
        ["grown and resized"] = new(d => d.Resized(), null),
        ["virtual size 64 MiB + 1"] = new(d => d.Patched(d.Fresh(), f => BinaryPrimitives.WriteUInt64BigEndian(f.AsSpan(SizeField), (64 * MiB) + 1)), null),
        ["unknown extension filling most of a 2 MiB cluster"] = new(d => d.WithExtensionsAt2MiB(0x1234_5678, endMarker: true), null),

        // Refused by qemu (it will not open them, or qemu-img check finds errors).
        ["bare 104-byte header"] = new(d => d.Cut(d.Fresh(), 104), InspectionFailureCodes.Truncated),
        ["first 64 KiB"] = new(d => d.Cut(d.WithData(), 64 * 1024), InspectionFailureCodes.Truncated),
        ["half of an image"] = new(d => d.Cut(d.WithData(), -2), InspectionFailureCodes.Truncated),
        ["all but the last cluster"] = new(d => d.Cut(d.WithData(), -65536), InspectionFailureCodes.Truncated),
        ["header_length past the end of the file"] = new(d => d.Cut(d.Patched(d.Fresh(), f => Put32(f, HeaderLengthField, 65536)), 4096), InspectionFailureCodes.Truncated),
        ["header_length past the cluster"] = new(d => d.Patched(d.Fresh(), f => Put32(f, HeaderLengthField, 65536 + 8)), InspectionFailureCodes.InvalidHeaderLength),
        ["L1 table past the end"] = new(d => d.Patched(d.Fresh(), f => Put64(f, L1OffsetField, 0x10_0000)), InspectionFailureCodes.Truncated),
        ["L1 table too large"] = new(d => d.Patched(d.Fresh(), f => Put32(f, L1SizeField, (32 * MiB / 8) + 1)), InspectionFailureCodes.InvalidL1Table),
        ["L1 offset not cluster-aligned"] = new(d => d.Patched(d.Fresh(), f => Put64(f, L1OffsetField, FreshL1Offset + 8)), InspectionFailureCodes.InvalidL1Table),
        ["L1 table too small for the size"] = new(d => d.Patched(d.Fresh(), f => Put64(f, SizeField, 1L << 40)), InspectionFailureCodes.InvalidL1Table),
        ["L1 entry pointing to an unaligned L2 table"] = new(d => d.Patched(d.WithData(), f => Put64(f, FreshL1Offset, 0x4_0200)), InspectionFailureCodes.InvalidL1Table),
        ["L1 entry with reserved bits"] = new(d => d.Patched(d.WithData(), f => Put64(f, FreshL1Offset, 0x4_0008)), InspectionFailureCodes.InvalidL1Table),
        ["refcount table entry with reserved bits"] = new(d => d.Patched(d.WithData(), f => Put64(f, 0x1_0000, 0x2_0001)), InspectionFailureCodes.InvalidRefcountTable),
        ["L1 entry pointing past the end"] = new(d => d.Patched(d.WithData(), f => Put64(f, FreshL1Offset, 1L << 40)), InspectionFailureCodes.Truncated),
        ["refcount_order 7"] = new(d => d.Patched(d.Fresh(), f => Put32(f, RefcountOrderField, 7)), InspectionFailureCodes.InvalidRefcountOrder),
        ["refcount_table_clusters absurd"] = new(d => d.Patched(d.Fresh(), f => Put32(f, RefcountTableClustersField, uint.MaxValue)), InspectionFailureCodes.InvalidRefcountTable),
        ["no refcount table"] = new(d => d.Patched(d.Fresh(), f => Put32(f, RefcountTableClustersField, 0)), InspectionFailureCodes.InvalidRefcountTable),
        ["refcount table past the end"] = new(d => d.Patched(d.Fresh(), f => Put64(f, RefcountTableOffsetField, 0x10_0000)), InspectionFailureCodes.Truncated),
        ["nb_snapshots absurd"] = new(d => d.Patched(d.Fresh(), f => Put32(f, SnapshotCountField, uint.MaxValue)), InspectionFailureCodes.InvalidSnapshotTable),
        ["snapshot table past the end"] = new(d => d.Patched(d.Fresh(), f => { Put32(f, SnapshotCountField, 3); Put64(f, SnapshotsOffsetField, 0x10_0000); }), InspectionFailureCodes.Truncated),
        ["snapshot table cut"] = new(d => d.Cut(d.WithSnapshot(), f => Get64(f, SnapshotsOffsetField) + 20), InspectionFailureCodes.Truncated),
        ["snapshot with too much extra data"] = new(d => d.Patched(d.WithSnapshot(), f => Put32(f, (int)Get64(f, SnapshotsOffsetField) + 36, 2000)), InspectionFailureCodes.InvalidSnapshotTable),
        ["snapshot L1 table not cluster-aligned"] = new(d => d.Patched(d.WithSnapshot(), f => Put64(f, (int)Get64(f, SnapshotsOffsetField), Get64(f, (int)Get64(f, SnapshotsOffsetField)) + 512)), InspectionFailureCodes.InvalidSnapshotTable),
        ["unknown crypt_method"] = new(d => d.Patched(d.Fresh(), f => Put32(f, CryptMethodField, 5)), InspectionFailureCodes.UnknownCryptMethod),
        ["unknown compression_type"] = new(d => d.Patched(d.Fresh(), f => f[CompressionTypeField] = 2), InspectionFailureCodes.InvalidCompressionType),
        ["compression bit without zstd"] = new(d => d.Patched(d.Fresh(), f => Put64(f, IncompatibleFeaturesField, 1 << 3)), InspectionFailureCodes.InvalidCompressionType),
        ["data_file_raw without a data file"] = new(d => d.Patched(d.Fresh(), f => Put64(f, AutoclearFeaturesField, 1 << 1)), InspectionFailureCodes.ExternalDataFile),
        ["extension running past a 2 MiB cluster"] = new(d => d.WithExtensionsAt2MiB(0x1234_5678, endMarker: false), InspectionFailureCodes.InvalidHeaderExtension),

        // Refused by our policy although qemu opens them (docs/imports.md).
        ["legacy AES encryption"] = new(d => d.Patched(d.Fresh(), f => Put32(f, CryptMethodField, 1)), InspectionFailureCodes.Encrypted, Policy: true),
        ["LUKS encryption"] = new(d => d.Luks(), InspectionFailureCodes.Encrypted, Policy: true),
        ["virtual size below one sector"] = new(d => d.Patched(d.Fresh(), f => Put64(f, SizeField, 511)), InspectionFailureCodes.InvalidVirtualSize, Policy: true),
        ["data-file extension after 1.5 MiB of unknown extension"] = new(d => d.WithExtensionsAt2MiB(Qcow2HeaderBuilder.ExternalDataFileExtension, endMarker: true), InspectionFailureCodes.ExternalDataFile, Policy: true),
        ["backing-format extension after 1.5 MiB of unknown extension"] = new(d => d.WithExtensionsAt2MiB(Qcow2HeaderBuilder.BackingFormatExtension, endMarker: true), InspectionFailureCodes.BackingFile, Policy: true),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task CreateImage_Qcow2File_VerdictAgreesWithQemu(string name)
    {
        var @case = Cases[name];
        var path = @case.Build(new Files(fixture.Disks.Directory, name));
        var qemu = await QemuImg.VerdictAsync(path, TestContext.Current.CancellationToken);
        var url = fixture.Storage.ServeFile($"/bucket/validation-{Guid.NewGuid():n}.qcow2", path);
        using var client = await fixture.App.CreateAccountClientAsync();

        var image = await client.WaitForImportAsync((await client.CreateFromAsync(url)).Id);
        var status = await client.ImportStatusAsync(image.Id);

        if (@case.Code is null)
        {
            Assert.True(qemu.Opens && qemu.CheckClean, $"qemu-img does not open {name} cleanly: {qemu.Message}");
            Assert.True(image.Status == "active", $"{status.Error?.Code}: {status.Error?.Detail}");
            Assert.Equal(qemu.VirtualSize, image.VirtualSize);
            Assert.Equal(new FileInfo(path).Length, image.Size);
            return;
        }

        if (!@case.Policy)
        {
            Assert.False(qemu.Opens && qemu.CheckClean, $"qemu-img opens {name} cleanly, yet the service refuses it.");
        }

        Assert.Equal("killed", image.Status);
        Assert.Equal(@case.Code, status.Error?.Code);
        Assert.EndsWith(".", status.Error?.Detail, StringComparison.Ordinal);
        Assert.Null(image.Checksum);
        Assert.Empty(await fixture.App.StoredDataOfAsync(image.Id));
    }

    public static TheoryData<string> RefusedCaseNames => new(Cases.Where(c => c.Value.Code is not null).Select(c => c.Key));

    // Issue 13, item 4: an upload goes through the same inspector, so each file an import kills is
    // refused by an upload with the same code, and nothing of it is kept.
    [Theory]
    [MemberData(nameof(RefusedCaseNames))]
    public async Task UploadImageFile_RefusedQcow2File_IsRefusedWithTheImportsCode(string name)
    {
        var @case = Cases[name];
        var path = @case.Build(new Files(fixture.Disks.Directory, "upload-" + name));
        var bytes = await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken);
        using var client = await fixture.App.CreateAccountClientAsync();
        var image = await client.CreateForUploadAsync();

        using var response = await client.UploadAsync(image.Id, bytes);
        var status = await client.ImportStatusAsync(image.Id);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([@case.Code!], await response.ErrorCodesAsync());
        Assert.Equal(("failed", @case.Code), (status.State, status.Error?.Code));
        Assert.Equal("killed", (await client.WaitForImportAsync(image.Id)).Status);
        Assert.Empty(await fixture.App.StoredDataOfAsync(image.Id));
    }

    private static void Put32(byte[] file, int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(offset), value);

    private static void Put64(byte[] file, int offset, long value) => BinaryPrimitives.WriteInt64BigEndian(file.AsSpan(offset), value);

    private static long Get64(byte[] file, int offset) => BinaryPrimitives.ReadInt64BigEndian(file.AsSpan(offset));

    private sealed record Case(Func<Files, string> Build, string? Code, bool Policy = false);

    // The files of one case, in the fixture's temporary directory: every path qemu-img touches is one of them.
    private sealed class Files(string directory, string name)
    {
        private readonly string _stem = Path.Combine(directory, "validation-" + new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]));
        private int _count;

        public string Fresh(params string[] options)
        {
            var path = Next();
            DiskImages.QemuImg($"create -q -f qcow2 {string.Join(' ', options)} \"{path}\" 10M");
            return path;
        }

        // 2 MiB of seeded noise, so L2 tables, refcounts and data clusters all exist.
        public string WithData(params string[] options)
        {
            var raw = Next() + ".raw";
            var data = new byte[2 * MiB];
            new Random(12).NextBytes(data);
            File.WriteAllBytes(raw, data);
            var path = Next();
            DiskImages.QemuImg($"convert -q -f raw -O qcow2 {string.Join(' ', options)} \"{raw}\" \"{path}\"");
            File.Delete(raw);
            return path;
        }

        public string WithSnapshot()
        {
            var path = WithData();
            DiskImages.QemuImg($"snapshot -c before \"{path}\"");
            return path;
        }

        public string WithBitmap()
        {
            var path = WithData();
            DiskImages.QemuImg($"bitmap --add \"{path}\" changes");
            return path;
        }

        public string Resized()
        {
            var path = WithData("-o", "cluster_size=4K");
            DiskImages.QemuImg($"resize -q \"{path}\" 3G");
            return path;
        }

        public string Luks()
        {
            var path = Next();
            DiskImages.QemuImg(
                $"create -q -f qcow2 --object secret,id=sec0,data=not-a-secret -o encrypt.format=luks,encrypt.key-secret=sec0,encrypt.iter-time=10 \"{path}\" 1M");
            return path;
        }

        // A 2 MiB-cluster image whose header extensions are rewritten: an unknown extension of 1.5 MiB, then an
        // extension of `type` (8 bytes of data), then (or not) the end marker. Without the end marker, the
        // second extension claims to run 1 MiB past the first cluster.
        public string WithExtensionsAt2MiB(uint type, bool endMarker)
        {
            return Patched(Fresh("-o", "cluster_size=2M"), file =>
            {
                var at = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(HeaderLengthField));
                file.AsSpan(at, 2 * MiB - at).Clear();
                BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(at), 0x7777_0001);
                BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(at + 4), (uint)(3 * MiB / 2));
                at += 8 + (3 * MiB / 2);
                BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(at), type);
                BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(at + 4), endMarker ? 8u : (uint)MiB);
                "data.raw"u8.CopyTo(file.AsSpan(at + 8));
            });
        }

        public string Patched(string source, Action<byte[]> patch)
        {
            var file = File.ReadAllBytes(source);
            patch(file);
            var path = Next();
            File.WriteAllBytes(path, file);
            return path;
        }

        // Keeps the first `length` bytes; a negative length counts from the end, -2 meaning half.
        public string Cut(string source, int length) => Cut(source, file => length switch
        {
            -2 => file.Length / 2,
            < 0 => file.Length + length,
            _ => length,
        });

        public string Cut(string source, Func<byte[], long> length)
        {
            var file = File.ReadAllBytes(source);
            var path = Next();
            File.WriteAllBytes(path, file[..(int)length(file)]);
            return path;
        }

        private string Next() => $"{_stem}-{_count++}.qcow2";
    }
}
