using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ImageService.Cli;

// Tables built from the service's JSON rather than from records, so that a table shows what the
// answering API version sent, field for field.
internal static class Tables
{
    public static readonly string[] ImageColumns = ["id", "name", "status", "visibility", "os_distro", "size", "created_at"];

    public static readonly string[] MemberColumns = ["image_id", "member_id", "status", "created_at", "updated_at"];

    // Every field of one object, in the service's order.
    public static IRenderable Fields(JsonElement item)
    {
        var table = Plain()
            .AddColumn(new TableColumn("FIELD").PadRight(3).PadLeft(0))
            .AddColumn(new TableColumn("VALUE").PadLeft(0));
        foreach (var property in item.EnumerateObject())
        {
            table.AddRow(new Text(property.Name), new Text(IsSize(property.Name) && Number(property.Value) is { } bytes
                ? string.Create(CultureInfo.InvariantCulture, $"{Bytes(bytes)} ({bytes} bytes)")
                : Show(property.Value)));
        }

        return table;
    }

    // One row per element of the body's array property, with the given fields as columns.
    public static Func<JsonElement, IRenderable> Rows(string arrayProperty, IReadOnlyList<string> columns) => body =>
    {
        var table = Plain();
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(column.ToUpperInvariant()).PadRight(3).PadLeft(0));
        }

        var items = body.TryGetProperty(arrayProperty, out var array) && array.ValueKind == JsonValueKind.Array ? array.EnumerateArray() : default;
        foreach (var item in items)
        {
            table.AddRow(columns.Select(c => new Text(!item.TryGetProperty(c, out var value) ? ""
                : IsSize(c) && Number(value) is { } bytes ? Bytes(bytes)
                : Show(value))));
        }

        return table;
    };

    // Byte counts read as sizes in a table; JSON output keeps the service's exact numbers.
    private static bool IsSize(string field) => field is "size" or "virtual_size";

    private static long? Number(JsonElement value) => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    // Borderless columns, as kubectl and docker print them: easy to read, to cut and to grep.
    public static Table Plain() => new Table().Border(TableBorder.None).HideRowSeparators();

    public static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => value.GetRawText(),
    };

    // Binary units, as qemu-img and most transfer tools print sizes.
    public static string Bytes(long bytes)
    {
        var (divisor, unit) = UnitOf(bytes);
        return divisor == 1 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{bytes / divisor:0.0} {unit}");
    }

    // The largest binary unit in which the value is at least 1.
    public static (double Divisor, string Unit) UnitOf(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var divisor = 1d;
        var unit = 0;
        while (bytes / divisor >= 1024 && unit < units.Length - 1)
        {
            divisor *= 1024;
            unit++;
        }

        return (divisor, units[unit]);
    }
}
