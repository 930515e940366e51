using System.ComponentModel.DataAnnotations;

namespace ImageService.Api.Storage;

internal sealed class StorageOptions
{
    public const string Section = "Storage";

    public string Provider { get; set; } = "FileSystem";

    // While data streams in, force it to disk every so often, so that the final flush before the
    // image turns active is short and dirty pages never pile up.
    [Range(1L << 20, 1L << 40)]
    public long FlushIntervalBytes { get; set; } = 256L << 20;
}
