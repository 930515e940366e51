using ImageService.Api.Versioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ImageService.Tests.Versioning;

// The lifecycle as a pure function of (operation, requested version, now) over the seed table.
public sealed class VersionLifecycleTests
{
    // date, requested, served, deprecated (Deprecation and Sunset headers due)
    public static TheoryData<string, string, bool, bool> SeedTableRows => new()
    {
        { "2025-06-01T00:00:00Z", "1.0", true, false },
        { "2025-06-01T00:00:00Z", "1.1", true, false },
        { "2025-06-01T00:00:00Z", "1.2", true, false },
        { "2025-06-01T00:00:00Z", "1.3", true, false },
        { "2025-10-01T23:59:59Z", "1.0", true, false },
        { "2025-10-02T00:00:00Z", "1.0", true, true },
        { "2025-11-01T00:00:00Z", "1.0", true, true },
        { "2025-11-01T00:00:00Z", "1.1", true, false },
        { "2025-12-30T23:59:59Z", "1.0", true, true },
        { "2025-12-31T00:00:00Z", "1.0", false, false },
        { "2026-03-01T23:59:59Z", "1.1", true, false },
        { "2026-03-02T00:00:00Z", "1.1", true, true },
        { "2026-05-30T23:59:59Z", "1.1", true, true },
        { "2026-05-31T00:00:00Z", "1.1", false, false },
        { "2026-06-02T00:00:00Z", "1.2", true, true },
        { "2026-08-30T23:59:59Z", "1.2", true, true },
        { "2026-08-31T00:00:00Z", "1.2", false, false },
        { "2026-11-24T00:00:00Z", "1.0", false, false },
        { "2026-11-24T00:00:00Z", "1.1", false, false },
        { "2026-11-24T00:00:00Z", "1.2", false, false },
        { "2026-11-24T00:00:00Z", "1.3", true, false },
        { "2030-01-01T00:00:00Z", "1.3", true, false },
    };

    [Theory]
    [MemberData(nameof(SeedTableRows))]
    public void Decide_SeedTable_ServesByNotBeforeDate(string now, string requested, bool served, bool deprecated)
    {
        var lifecycle = SeedLifecycle.Lifecycle(SeedLifecycle.Options());
        Assert.True(ApiVersion.TryParse(requested, out var version));

        var decision = lifecycle.Decide("showImage", version, SeedLifecycle.Utc(now));

        Assert.Equal(served, decision.Served);
        Assert.Equal(version, decision.Version);
        Assert.Equal(deprecated, served && decision.Deprecation is not null);
        Assert.Equal(deprecated, served && decision.Sunset is not null);
    }

    [Fact]
    public void Decide_InDeprecationWindow_GivesSunsetAtNotBeforeAndDeprecation90DaysEarlier()
    {
        var lifecycle = SeedLifecycle.Lifecycle(SeedLifecycle.Options());

        var decision = lifecycle.Decide("listImages", ApiVersion.V1Dot0, SeedLifecycle.Utc("2025-11-01T00:00:00Z"));

        Assert.Equal(SeedLifecycle.Utc("2025-12-31T00:00:00Z"), decision.Sunset);
        Assert.Equal(SeedLifecycle.Utc("2025-10-02T00:00:00Z"), decision.Deprecation);
    }

    [Theory]
    [InlineData("2025-06-01T00:00:00Z", "1.3,1.2,1.1,1.0")]
    [InlineData("2025-12-31T00:00:00Z", "1.3,1.2,1.1")]
    [InlineData("2026-05-31T00:00:00Z", "1.3,1.2")]
    [InlineData("2026-11-24T00:00:00Z", "1.3")]
    public void Decide_RefusedVersion_ListsTheUsableOnesNewestFirst(string now, string usable)
    {
        var lifecycle = SeedLifecycle.Lifecycle(SeedLifecycle.Options());

        var decision = lifecycle.Decide("createImage", new ApiVersion(1, 9), SeedLifecycle.Utc(now));

        Assert.False(decision.Served);
        Assert.Equal(usable, string.Join(',', decision.Usable));
    }

    [Theory]
    [InlineData("2025-06-01T00:00:00Z")]
    [InlineData("2026-11-24T00:00:00Z")]
    public void Decide_NoVersionRequested_AnswersCurrent(string now)
    {
        var lifecycle = SeedLifecycle.Lifecycle(SeedLifecycle.Options());

        var decision = lifecycle.Decide("listImages", null, SeedLifecycle.Utc(now));

        Assert.True(decision.Served);
        Assert.Equal(ApiVersion.V1Dot3, decision.Version);
        Assert.Null(decision.Deprecation);
    }

    [Theory]
    [InlineData("2.0")]
    [InlineData("1.4")]
    [InlineData("0.9")]
    public void Decide_UnknownVersion_Refuses(string requested)
    {
        var lifecycle = SeedLifecycle.Lifecycle(SeedLifecycle.Options(serveRetired: true));
        Assert.True(ApiVersion.TryParse(requested, out var version));

        var decision = lifecycle.Decide("listImages", version, SeedLifecycle.Utc("2025-06-01T00:00:00Z"));

        Assert.False(decision.Served);
    }

    [Fact]
    public void Decide_PlannedVersion_Refuses()
    {
        var options = SeedLifecycle.Options(serveRetired: true);
        options.Versions.Add(new VersionEntryOptions { Version = "1.4", Status = "PLANNED" });
        var lifecycle = SeedLifecycle.Lifecycle(options);

        var decision = lifecycle.Decide("listImages", new ApiVersion(1, 4), SeedLifecycle.Utc("2025-06-01T00:00:00Z"));

        Assert.False(decision.Served);
        Assert.DoesNotContain(new ApiVersion(1, 4), decision.Usable);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.1")]
    [InlineData("1.2")]
    public void Decide_ServeRetiredVersions_ServesPastNotBeforeWithHeaders(string requested)
    {
        var lifecycle = SeedLifecycle.Lifecycle(SeedLifecycle.Options(serveRetired: true));
        Assert.True(ApiVersion.TryParse(requested, out var version));

        var decision = lifecycle.Decide("showImage", version, SeedLifecycle.Utc("2026-11-24T00:00:00Z"));

        Assert.True(decision.Served);
        Assert.NotNull(decision.Deprecation);
        Assert.NotNull(decision.Sunset);
        Assert.Equal(4, decision.Usable.Count);
    }

    [Fact]
    public void Decide_OperationWithItsOwnTable_UsesItOnlyForThatOperation()
    {
        var options = SeedLifecycle.Options();
        options.Operations["showImage"] = [new VersionEntryOptions { Version = "1.3", Status = "CURRENT" }];
        var lifecycle = SeedLifecycle.Lifecycle(options);
        var now = SeedLifecycle.Utc("2025-06-01T00:00:00Z");

        var show = lifecycle.Decide("showImage", ApiVersion.V1Dot2, now);
        var list = lifecycle.Decide("listImages", ApiVersion.V1Dot2, now);

        Assert.False(show.Served);
        Assert.Equal([ApiVersion.V1Dot3], show.Usable);
        Assert.True(list.Served);
    }

    [Theory]
    [InlineData("2025-06-01T00:00:00Z", "v1.3 CURRENT ;v1.2 SUPPORTED 2026-08-31;v1.1 DEPRECATED 2026-05-31;v1.0 DEPRECATED 2025-12-31")]
    [InlineData("2026-06-15T00:00:00Z", "v1.3 CURRENT ;v1.2 DEPRECATED 2026-08-31")]
    [InlineData("2026-11-24T00:00:00Z", "v1.3 CURRENT ")]
    public void Answered_SeedTable_ListsTheVersionsStillServed(string now, string expected)
    {
        var lifecycle = SeedLifecycle.Lifecycle(SeedLifecycle.Options());

        var answered = lifecycle.Answered(SeedLifecycle.Utc(now));

        Assert.Equal(expected, string.Join(';', answered.Select(v => $"{v.Version.Id} {v.Status} {v.NotBefore:yyyy-MM-dd}")));
    }

    // appsettings.json ships the seed table; the running app must bind exactly that.
    [Fact]
    public void ShippedConfiguration_IsTheSeedTable()
    {
        using var app = new ImageServiceApp();

        var shipped = app.Services.GetRequiredService<IOptions<VersionLifecycleOptions>>().Value;

        var seed = SeedLifecycle.Options();
        Assert.False(shipped.ServeRetiredVersions);
        Assert.Equal(seed.DeprecationWindowDays, shipped.DeprecationWindowDays);
        Assert.Equal(
            seed.Versions.Select(v => (v.Version, v.Status, v.NotBefore)),
            shipped.Versions.Select(v => (v.Version, v.Status, v.NotBefore)));
        Assert.Empty(shipped.Operations);
    }
}
