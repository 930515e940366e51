namespace ImageService.Api.Imports.Inspection;

// Stable snake_case codes: clients branch on them, so a code is never renamed or reused. docs/imports.md
// lists each with what it means.
internal static class InspectionFailureCodes
{
    public const string NotQcow2 = "not_qcow2";
    public const string UnsupportedQcow2Version = "unsupported_qcow2_version";
    public const string BackingFile = "backing_file";
    public const string ExternalDataFile = "external_data_file";
    public const string UnknownIncompatibleFeatures = "unknown_incompatible_features";
    public const string Corrupt = "corrupt";
    public const string InvalidClusterBits = "invalid_cluster_bits";
    public const string InvalidHeaderLength = "invalid_header_length";
    public const string InvalidHeaderExtension = "invalid_header_extension";
    public const string InvalidVirtualSize = "invalid_virtual_size";
    public const string VirtualSizeTooLarge = "virtual_size_too_large";
    public const string AmbiguousFormat = "ambiguous_format";
    public const string InvalidCompressionType = "invalid_compression_type";
    public const string InvalidRefcountOrder = "invalid_refcount_order";
    public const string Encrypted = "encrypted";
    public const string UnknownCryptMethod = "unknown_crypt_method";
    public const string InvalidRefcountTable = "invalid_refcount_table";
    public const string InvalidSnapshotTable = "invalid_snapshot_table";
    public const string InvalidL1Table = "invalid_l1_table";
    public const string Truncated = "truncated";
}
