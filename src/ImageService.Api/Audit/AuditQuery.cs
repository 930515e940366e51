using System.Globalization;
using ImageService.Api.Images;
using ImageService.Api.Wire;
using ImageService.Protocol.Errors;

namespace ImageService.Api.Audit;

// The query string of listAuditEvents, parsed and checked with the image list's rules (limit, one
// value per parameter, empty means no filter); every problem is one element of a 400.
internal sealed record AuditQuery(int Limit, long? Marker, string? ImageId, DateTime? Since, DateTime? Until)
{
    public const string InvalidMarker = "invalid_marker";
    public const string InvalidMarkerDetail = "marker must be the id of an event from the previous page of this list.";

    public static AuditQuery? Parse(IQueryCollection query, out IReadOnlyList<ScpError> problems)
    {
        var errors = new List<ScpError>();
        var limit = ImageListQuery.ParseLimit(query, errors);
        long? marker = null;
        if (ImageListQuery.One(query, "marker", errors) is { } markerText)
        {
            if (long.TryParse(markerText, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                marker = id;
            }
            else
            {
                errors.Add(ScpErrors.InvalidField(InvalidMarker, InvalidMarkerDetail));
            }
        }

        var result = new AuditQuery(
            limit,
            marker,
            ImageListQuery.One(query, "image_id", errors),
            Time(query, "since", errors),
            Time(query, "until", errors));
        problems = errors;
        return errors.Count == 0 ? result : null;
    }

    public IQueryable<AuditEvent> Filter(IQueryable<AuditEvent> events)
    {
        if (ImageId is not null)
        {
            events = events.Where(e => e.ImageId == ImageId);
        }

        if (Since is { } since)
        {
            events = events.Where(e => e.OccurredAt >= since);
        }

        if (Until is { } until)
        {
            events = events.Where(e => e.OccurredAt < until);
        }

        return events;
    }

    // RFC 3339, as the service writes its own timestamps; an offset is turned into UTC.
    private static DateTime? Time(IQueryCollection query, string name, List<ScpError> errors)
    {
        if (ImageListQuery.One(query, name, errors) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) && text.Contains('T', StringComparison.Ordinal))
        {
            return time.UtcDateTime;
        }

        errors.Add(ScpErrors.InvalidField($"invalid_{name}", $"{name} must be an RFC 3339 time, such as 2026-12-01T09:30:00Z."));
        return null;
    }
}
