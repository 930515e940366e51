using Microsoft.Extensions.Time.Testing;

namespace ImageService.Tests.Versioning;

// Days that matter for the seed table (docs/versions.md): 1.0 stops on 2025-12-31, 1.1 on 2026-05-31,
// 1.2 on 2026-08-31; each is deprecated in the 90 days before.
public static class LifecycleDates
{
    public static readonly DateTimeOffset AllServed = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset V1Dot0Deprecated = new(2025, 11, 1, 12, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset OnlyCurrent = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock(DateTimeOffset now) => new(now);
}

// An app on a day when the seed table serves every version, so 1.0 to 1.2 can be called.
public sealed class AllVersionsServedApp : IDisposable
{
    public ImageServiceApp App { get; } = ImageServiceApp.Create(LifecycleDates.Clock(LifecycleDates.AllServed));

    public void Dispose() => App.Dispose();
}

// An app on a fixed clock (2026-11-24, only 1.3 served) that tests may advance but never rewind.
public sealed class FixedClockApp : IDisposable
{
    public FixedClockApp() => App = ImageServiceApp.Create(Time);

    public FakeTimeProvider Time { get; } = LifecycleDates.Clock(LifecycleDates.OnlyCurrent);

    public ImageServiceApp App { get; }

    public void Dispose() => App.Dispose();
}
