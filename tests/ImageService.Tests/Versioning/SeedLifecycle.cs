using ImageService.Api.Versioning;
using Microsoft.Extensions.Options;

namespace ImageService.Tests.Versioning;

// The seed pages' table (docs/versions.md) as options, for unit tests of the lifecycle.
public static class SeedLifecycle
{
    internal static VersionLifecycleOptions Options(bool serveRetired = false) => new()
    {
        ServeRetiredVersions = serveRetired,
        DeprecationWindowDays = 90,
        Versions =
        [
            new() { Version = "1.3", Status = "CURRENT" },
            new() { Version = "1.2", Status = "SUPPORTED", NotBefore = new DateOnly(2026, 8, 31) },
            new() { Version = "1.1", Status = "DEPRECATED", NotBefore = new DateOnly(2026, 5, 31) },
            new() { Version = "1.0", Status = "DEPRECATED", NotBefore = new DateOnly(2025, 12, 31) },
        ],
    };

    internal static VersionLifecycle Lifecycle(VersionLifecycleOptions options) => new(new FixedMonitor(options));

    internal static DateTimeOffset Utc(string text) =>
        DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);

    private sealed class FixedMonitor(VersionLifecycleOptions value) : IOptionsMonitor<VersionLifecycleOptions>
    {
        public VersionLifecycleOptions CurrentValue => value;

        public VersionLifecycleOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<VersionLifecycleOptions, string?> listener) => null;
    }
}
