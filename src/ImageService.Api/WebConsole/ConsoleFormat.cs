using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace ImageService.Api.WebConsole;

// How values read in the console: sizes in binary units, timestamps as <time> elements that
// console.js shows in the browser's local time, with the UTC value on hover.
internal static class ConsoleFormat
{
    private static readonly string[] Units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Bytes(long? bytes)
    {
        if (bytes is not { } value)
        {
            return "—";
        }

        if (value < 1024)
        {
            return value == 1 ? "1 byte" : string.Create(CultureInfo.InvariantCulture, $"{value} bytes");
        }

        var scaled = (double)value;
        var unit = 0;
        while (scaled >= 1024 && unit < Units.Length - 1)
        {
            scaled /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{scaled:0.#} {Units[unit]}");
    }

    public static IHtmlContent Time(string? rfc3339)
    {
        if (rfc3339 is null || !DateTimeOffset.TryParse(rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return new HtmlString("—");
        }

        var utc = value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        var attribute = HtmlEncoder.Default.Encode(value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        return new HtmlString($"<time datetime=\"{attribute}\" title=\"{utc}\">{utc}</time>");
    }
}
