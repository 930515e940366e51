using System.Globalization;

namespace ImageService.Api.Quotas;

// A limit as an operator types it for `quotas set`: a count or a size (binary units: 500GiB, 2T),
// "unlimited", or "default" (the account follows Quotas:* again). Unlimited is stored as long.MaxValue
// so that a stored null keeps meaning "no override".
internal static class QuotaValue
{
    public const string Default = "default";
    public const string Unlimited = "unlimited";

    private static readonly (string Suffix, long Factor)[] Units =
    [
        ("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10),
        ("T", 1L << 40), ("G", 1L << 30), ("M", 1L << 20), ("K", 1L << 10), ("B", 1),
    ];

    // False when the text is none of these; value is then meaningless.
    public static bool TryParse(string text, bool sizes, out long? value)
    {
        value = null;
        if (string.Equals(text, Default, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (string.Equals(text, Unlimited, StringComparison.OrdinalIgnoreCase))
        {
            value = long.MaxValue;
            return true;
        }

        var (number, factor) = sizes && Units.FirstOrDefault(u => text.EndsWith(u.Suffix, StringComparison.OrdinalIgnoreCase)) is { Suffix: { } suffix } unit
            ? (text[..^suffix.Length], unit.Factor)
            : (text, 1L);
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count > long.MaxValue / factor)
        {
            return false;
        }

        value = count * factor;
        return true;
    }

    // How a stored override reads back in the audit trail and in `quotas show`.
    public static string Describe(long? value) => value switch
    {
        null => Default,
        long.MaxValue => Unlimited,
        { } v => v.ToString(CultureInfo.InvariantCulture),
    };

    // A limit as it applies: long.MaxValue is no limit at all.
    public static long? Effective(long? value) => value == long.MaxValue ? null : value;
}
