using System.Diagnostics.CodeAnalysis;

namespace ImageService.Protocol.Images;

/// <summary>
/// A checksum a caller expects of an image's data, written <c>algorithm:hex</c> in the
/// <see cref="ScpHeaders.ImageChecksum"/> header: the service computes it in the same pass that stores
/// the data and kills the import when it differs. One parser, so the CLI refuses what the service would.
/// </summary>
/// <param name="Algorithm"><c>md5</c>, <c>sha256</c> or <c>sha512</c>.</param>
/// <param name="Digest">The digest in lowercase hex.</param>
public sealed record ImageChecksum(string Algorithm, string Digest)
{
    /// <summary>The algorithms the service computes, each with its digest's length in hex digits.</summary>
    public static IReadOnlyDictionary<string, int> Algorithms { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["md5"] = 32,
        ["sha256"] = 64,
        ["sha512"] = 128,
    };

    /// <summary>What a malformed value is told, for an error message.</summary>
    public const string Format = "md5:<32 hex digits>, sha256:<64 hex digits> or sha512:<128 hex digits>";

    /// <summary>Reads <c>algorithm:hex</c>; the algorithm's name and the hex digits in either case.</summary>
    /// <param name="value">The header's value.</param>
    /// <param name="checksum">The checksum, with both parts in lowercase.</param>
    /// <returns>False when the value is not one of the <see cref="Format"/> forms.</returns>
    public static bool TryParse(string? value, [NotNullWhen(true)] out ImageChecksum? checksum)
    {
        checksum = null;
        var colon = value?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (value is null || colon <= 0)
        {
            return false;
        }

        var algorithm = value[..colon].ToLowerInvariant();
        var digest = value[(colon + 1)..];
        if (!Algorithms.TryGetValue(algorithm, out var length) || digest.Length != length || !digest.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        checksum = new ImageChecksum(algorithm, digest.ToLowerInvariant());
        return true;
    }

    /// <summary>The header form, <c>algorithm:hex</c>.</summary>
    public override string ToString() => $"{Algorithm}:{Digest}";
}
