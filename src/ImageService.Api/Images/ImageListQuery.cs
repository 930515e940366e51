using ImageService.Api.Wire;
using ImageService.Protocol.Errors;
using Microsoft.Extensions.Primitives;

namespace ImageService.Api.Images;

// The query string of listImages, parsed and checked: every problem is one element of a 400.
internal sealed record ImageListQuery(
    int Limit,
    string? Marker,
    ImageSort Sort,
    string? Name,
    string? Status,
    string? Visibility,
    string? OsDistro,
    string? ScpImageType,
    string? ScpOriginalImageType)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 1000;

    public static ImageListQuery? Parse(IQueryCollection query, out IReadOnlyList<ScpError> problems)
    {
        var errors = new List<ScpError>();
        var limit = ParseLimit(query, errors);

        if (!ImageSort.TryParse(One(query, "sort", errors), out var sort, out var sortError))
        {
            errors.Add(ScpErrors.InvalidField("invalid_sort", sortError!));
        }

        var visibility = One(query, "visibility", errors);
        if (visibility is not null && !ImageVisibility.FilterValues.Contains(visibility))
        {
            errors.Add(ScpErrors.InvalidField("invalid_visibility", $"visibility must be one of: {string.Join(", ", ImageVisibility.FilterValues)}."));
        }

        var result = new ImageListQuery(
            limit,
            One(query, "marker", errors),
            sort,
            One(query, "name", errors),
            One(query, "status", errors),
            visibility,
            One(query, "os_distro", errors),
            One(query, "scp_image_type", errors),
            One(query, "scp_original_image_type", errors));
        problems = errors;
        return errors.Count == 0 ? result : null;
    }

    public IQueryable<Image> Filter(IQueryable<Image> images)
    {
        if (Name is not null)
        {
            images = images.Where(i => i.Name == Name);
        }

        if (Status is not null)
        {
            images = images.Where(i => i.Status == Status);
        }

        if (Visibility is not null)
        {
            images = images.Where(i => i.Visibility == Visibility);
        }

        if (OsDistro is not null)
        {
            images = images.Where(i => i.OsDistro == OsDistro);
        }

        if (ScpImageType is not null)
        {
            images = images.Where(i => i.ScpImageType == ScpImageType);
        }

        if (ScpOriginalImageType is not null)
        {
            images = images.Where(i => i.ScpOriginalImageType == ScpOriginalImageType);
        }

        return images;
    }

    // The value an equality filter fixes a sort key to, if it does: name and status are both.
    public string? FixedValueOf(string sortKey) => sortKey switch
    {
        "name" => Name,
        "status" => Status,
        _ => null,
    };

    // Shared with the other paged lists of this service (listAuditEvents).
    internal static int ParseLimit(IQueryCollection query, List<ScpError> errors)
    {
        var limit = DefaultLimit;
        if (One(query, "limit", errors) is { } limitText &&
            (!int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) ||
             limit is < 1 or > MaxLimit))
        {
            errors.Add(ScpErrors.InvalidField("invalid_limit", $"limit must be a whole number from 1 to {MaxLimit}."));
        }

        return limit;
    }

    // The SDK leaves unset filters out, but a hand-written client may send "name=": treat an empty
    // value as no filter. A parameter given twice is ambiguous and refused. listPendingImages reads
    // its filters the same way.
    public static string? One(IQueryCollection query, string name, List<ScpError> errors)
    {
        if (!query.TryGetValue(name, out StringValues values) || values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            errors.Add(ScpErrors.InvalidField($"invalid_{name}", $"Give {name} at most once."));
            return null;
        }

        return string.IsNullOrEmpty(values[0]) ? null : values[0];
    }
}
