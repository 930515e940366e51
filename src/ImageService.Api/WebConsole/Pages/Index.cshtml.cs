using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Protocol.Images;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace ImageService.Api.WebConsole.Pages;

// The account's own and accepted shared images: listImages itself, reading this page's query string.
internal sealed class IndexModel(ImageDbContext db) : PageModel
{
    public static readonly string[] SortableColumns = ["name", "status", "size", "created_at", "updated_at"];

    public static readonly string[] Filters = ["name", "status", "visibility", "os_distro", "scp_image_type"];

    public static readonly string[] Statuses = [ImageStatus.Queued, ImageStatus.Importing, ImageStatus.Active, ImageStatus.Killed];

    public IReadOnlyList<ImageShowResponse> Images { get; private set; } = [];

    public FormErrors Errors { get; } = new();

    public IReadOnlyList<string> OsDistros { get; private set; } = [];

    public string? NextMarker { get; private set; }

    public string? Done => Query("done") == "deleted" ? "The image was deleted." : null;

    public bool Filtered => Filters.Any(f => !string.IsNullOrEmpty(Query(f)));

    public string AccountId => User.GetAccountId();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var version = ConsoleCalls.Version(HttpContext);
        OsDistros = ImageRules.OsDistros(version);
        var result = await ImagesApi.ListImages(Request, version, User, db, ct);
        if (ConsoleCalls.ImagesOf(result) is { } images)
        {
            Images = images;
            var limit = int.TryParse(Query("limit"), out var l) ? l : ImageListQuery.DefaultLimit;
            NextMarker = images.Count == limit ? images[^1].Id : null;
            return;
        }

        Errors.AddFrom(result, [.. Filters, "sort", "limit", "marker"]);
        Response.StatusCode = Errors.Status;
    }

    public string? Query(string name) => Request.Query[name].FirstOrDefault();

    // The current sort's direction for a column, as aria-sort reads it.
    public string? AriaSort(string column)
    {
        var (key, descending) = CurrentSort();
        return key == column ? (descending ? "descending" : "ascending") : null;
    }

    // A link to this list sorted by the column: ascending first, then the other way.
    public string SortLink(string column)
    {
        var (key, descending) = CurrentSort();
        var direction = key == column && !descending ? "desc" : "asc";
        return Link(("sort", $"{column}:{direction}"), ("marker", null));
    }

    public string NextLink() => Link(("marker", NextMarker));

    public string FirstLink() => Link(("marker", null));

    private (string Key, bool Descending) CurrentSort()
    {
        var first = (Query("sort") is { Length: > 0 } s ? s : ImageSort.Default).Split(',')[0].Split(':');
        return (first[0].Trim(), first.Length < 2 || first[1].Trim() != "asc");
    }

    private string Link(params (string Name, string? Value)[] changes)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var name in (string[])[.. Filters, "sort", "limit", "marker"])
        {
            if (Query(name) is { Length: > 0 } value)
            {
                values[name] = value;
            }
        }

        foreach (var (name, value) in changes)
        {
            values[name] = value;
        }

        return QueryHelpers.AddQueryString(ConsoleEndpoints.Path, values.Where(v => v.Value is not null));
    }
}
