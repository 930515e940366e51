using Microsoft.Extensions.Options;

namespace ImageService.Api.Versioning;

// A pure function of (operation, requested version, now) over the configured table; the clock is
// the caller's, so tests drive it with a fake one.
internal sealed class VersionLifecycle(IOptionsMonitor<VersionLifecycleOptions> options)
{
    public const string Current = "CURRENT";
    public const string Planned = "PLANNED";

    public VersionDecision Decide(string? operationId, ApiVersion? requested, DateTimeOffset now)
    {
        var settings = options.CurrentValue;
        var table = Table(settings, operationId);
        var usable = table.Where(e => Evaluate(e, settings, now).Served).Select(e => e.Version).OrderDescending().ToArray();

        var entry = requested is { } wanted
            ? table.FirstOrDefault(e => e.Version == wanted)
            : table.FirstOrDefault(e => e.Status == Current && Evaluate(e, settings, now).Served)
              ?? table.FirstOrDefault(e => Evaluate(e, settings, now).Served);

        if (entry is null)
        {
            return new VersionDecision(false, requested ?? default, null, null, usable);
        }

        var (served, deprecation, sunset) = Evaluate(entry, settings, now);
        return new VersionDecision(served, entry.Version, deprecation, sunset, usable);
    }

    // The versions the service answers right now for any operation, for the GET / document.
    public IReadOnlyList<(ApiVersion Version, string Status, DateOnly? NotBefore)> Answered(DateTimeOffset now)
    {
        var settings = options.CurrentValue;
        return Table(settings, null)
            .Select(e => (Entry: e, Verdict: Evaluate(e, settings, now)))
            .Where(x => x.Verdict.Served)
            .OrderByDescending(x => x.Entry.Version)
            .Select(x => (x.Entry.Version, x.Verdict.Deprecation is null ? x.Entry.Status : "DEPRECATED", x.Entry.NotBefore))
            .ToArray();
    }

    public ApiVersion CurrentVersion(DateTimeOffset now) => Decide(null, null, now).Version;

    private static (bool Served, DateTimeOffset? Deprecation, DateTimeOffset? Sunset) Evaluate(
        Entry entry, VersionLifecycleOptions settings, DateTimeOffset now)
    {
        if (entry.Status == Planned)
        {
            return (false, null, null);
        }

        if (entry.NotBefore is not { } notBefore)
        {
            return (true, null, null);
        }

        // Seed pages: "Deprecated versions with Not Before dates that have arrived or expired are
        // no longer supported"; DEPRECATED means "less than 90 days remaining".
        var sunset = new DateTimeOffset(notBefore.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var deprecation = sunset.AddDays(-settings.DeprecationWindowDays);
        if (now >= sunset)
        {
            return (settings.ServeRetiredVersions, deprecation, sunset);
        }

        return now >= deprecation ? (true, deprecation, sunset) : (true, null, null);
    }

    private static Entry[] Table(VersionLifecycleOptions settings, string? operationId)
    {
        var source = operationId is not null && settings.Operations.TryGetValue(operationId, out var own) ? own : settings.Versions;
        return source
            .Select(e => ApiVersion.TryParse(e.Version, out var v) ? new Entry(v, e.Status.ToUpperInvariant(), e.NotBefore) : null)
            .OfType<Entry>()
            .ToArray();
    }

    private sealed record Entry(ApiVersion Version, string Status, DateOnly? NotBefore);
}
