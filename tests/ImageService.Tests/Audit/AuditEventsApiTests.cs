using System.Net;
using ImageService.Api.Imports;
using ImageService.Tests.Images;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ImageService.Tests.Audit;

// listAuditEvents: the caller's own events, newest first, keyset-paged by marker like the image
// list, filtered by image and by time; events past Audit:RetentionPeriod go with the sweep.
public sealed class AuditEventsApiTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly ImageServiceApp _app;

    public AuditEventsApiTests() => _app = ImageServiceApp.Create(_time, new Dictionary<string, string?> { ["Audit:RetentionPeriod"] = "30.00:00:00" });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListAuditEvents_PagedByMarker_ReturnsEveryEventOnceNewestFirst()
    {
        using var client = await _app.CreateAccountClientAsync();
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await client.CreateImageAsync());
            _time.Advance(i % 2 == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(1));
        }

        var pages = new List<IReadOnlyList<ImageService.Protocol.Audit.AuditEventResponse>>();
        var marker = "";
        do
        {
            pages.Add(await client.AuditAsync($"?limit=2{marker}"));
            marker = pages[^1].Count > 0 ? $"&marker={pages[^1][^1].Id}" : "";
        }
        while (pages[^1].Count == 2);

        var events = pages.SelectMany(p => p).ToList();
        Assert.Equal([2, 2, 2, 0], pages.Select(p => p.Count));
        Assert.Equal([.. Enumerable.Reverse(created), null], events.Select(e => e.ImageId));
        Assert.Equal("createAccessKey", events[^1].Operation);
        Assert.Equal(events.OrderByDescending(e => e.OccurredAt, StringComparer.Ordinal).ThenByDescending(e => e.Id).Select(e => e.Id), events.Select(e => e.Id));
    }

    [Fact]
    public async Task ListAuditEvents_ImageAndTimeFilters_ReturnOnlyTheMatchingEvents()
    {
        using var client = await _app.CreateAccountClientAsync();
        var early = await client.CreateImageAsync();
        _time.Advance(TimeSpan.FromHours(2));
        var late = await client.CreateImageAsync();
        (await client.DeleteAsync($"/v1/images/{early}", Ct)).EnsureSuccessStatusCode();
        var middle = Uri.EscapeDataString((Start + TimeSpan.FromHours(1)).ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture));

        var ofEarly = await client.AuditAsync($"?image_id={early}");
        var sinceMiddle = await client.AuditAsync($"?since={middle}");
        var untilMiddle = await client.AuditAsync($"?until={middle}");
        var earlyAfterMiddle = await client.AuditAsync($"?image_id={early}&since={middle}");

        Assert.Equal(["deleteImage", "createImage"], ofEarly.Operations());
        Assert.Equal([(early, "deleteImage"), (late, "createImage")], sinceMiddle.Select(e => (e.ImageId, e.Operation)));
        Assert.Equal([(early, "createImage"), (null, "createAccessKey")], untilMiddle.Select(e => (e.ImageId, e.Operation)));
        Assert.Equal(["deleteImage"], earlyAfterMiddle.Operations());
    }

    [Theory]
    [InlineData("?limit=0", "invalid_limit")]
    [InlineData("?limit=1001", "invalid_limit")]
    [InlineData("?marker=abc", "invalid_marker")]
    [InlineData("?marker=999999999", "invalid_marker")]
    [InlineData("?since=yesterday", "invalid_since")]
    [InlineData("?until=2026-12-01", "invalid_until")]
    [InlineData("?image_id=a&image_id=b", "invalid_image_id")]
    public async Task ListAuditEvents_BadQuery_Returns400Envelope(string query, string code)
    {
        using var client = await _app.CreateAccountClientAsync();

        using var response = await client.GetAsync("/v1/audit-events" + query, Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task ListAuditEvents_MarkerFromAnotherAccount_Returns400AndShowsNothingOfIt()
    {
        using var owner = await _app.CreateAccountClientAsync();
        using var stranger = await _app.CreateAccountClientAsync();
        await owner.CreateImageAsync();
        var theirs = (await owner.AuditAsync())[0];

        using var response = await stranger.GetAsync($"/v1/audit-events?marker={theirs.Id}", Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.BadRequest, "invalid_marker");
        Assert.DoesNotContain(await stranger.AuditAsync(), e => e.AccountId != theirs.AccountId && e.ImageId == theirs.ImageId && e.ImageId is not null);
    }

    [Fact]
    public async Task Sweep_EventsOlderThanTheRetentionPeriod_ArePrunedAndNewerKept()
    {
        using var client = await _app.CreateAccountClientAsync();
        var old = await client.CreateImageAsync();
        _time.Advance(TimeSpan.FromDays(20));
        var recent = await client.CreateImageAsync();
        _time.Advance(TimeSpan.FromDays(15));

        await _app.Services.GetRequiredService<ImportSweeper>().SweepAsync(Ct);

        Assert.Equal([recent], (await client.AuditAsync()).Select(e => e.ImageId));
        Assert.NotEqual(old, recent);
    }

    public void Dispose() => _app.Dispose();
}
