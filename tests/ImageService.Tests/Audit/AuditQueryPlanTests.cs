using ImageService.Api.Data;
using ImageService.Tests.Images;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Audit;

// Asserts SQLite's plan, not timings: a page of the trail, whole or for one image, first or after a
// marker, with or without a time range, is one range read of an account-led index in its order,
// with no scan and no sort step. The SQL is the statement the request ran, captured by an interceptor.
public sealed class AuditQueryPlanTests : IDisposable
{
    private readonly SqlRecorder _recorder = new();
    private readonly ImageServiceApp _app;

    public AuditQueryPlanTests() =>
        _app = ImageServiceApp.Create(services: s => s.ConfigureDbContext<SqliteImageDbContext>(o => o.AddInterceptors(_recorder)));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("", "IX_audit_events_AccountId_OccurredAt_Id")]
    [InlineData("&since=2026-01-01T00:00:00Z&until=2100-01-01T00:00:00Z", "IX_audit_events_AccountId_OccurredAt_Id")]
    [InlineData("&image_id={image}", "IX_audit_events_AccountId_ImageId_OccurredAt_Id")]
    [InlineData("&image_id={image}&since=2026-01-01T00:00:00Z", "IX_audit_events_AccountId_ImageId_OccurredAt_Id")]
    public async Task ListAuditEvents_AnyFilter_ReadsOneIndexRangeWithoutSorting(string filter, string index)
    {
        Assert.SkipWhen(_app.Backend.Database is not null, "SQLite's query plans.");
        using var client = await _app.CreateAccountClientAsync();
        var image = await client.CreateImageAsync();
        for (var i = 0; i < 3; i++)
        {
            await client.PutAsync($"/v1/images/{image}", ApiJson.Raw($"{{\"min_disk\": {i}}}"), Ct);
        }

        filter = filter.Replace("{image}", image, StringComparison.Ordinal);
        var marker = (await client.AuditAsync($"?limit=2{filter}"))[^1].Id;

        foreach (var path in new[] { $"/v1/audit-events?limit=2{filter}", $"/v1/audit-events?limit=2{filter}&marker={marker}" })
        {
            var plan = await PlanOfAsync(client, path);

            Assert.Contains(plan, row => row.Contains($"USING INDEX {index} (AccountId=?", StringComparison.Ordinal));
            Assert.DoesNotContain(plan, row => row.StartsWith("SCAN", StringComparison.Ordinal) || row.Contains("TEMP B-TREE", StringComparison.Ordinal));
        }
    }

    private async Task<IReadOnlyList<string>> PlanOfAsync(HttpClient client, string path)
    {
        _recorder.Clear();
        await client.GetFromJsonObjectAsync(path);
        var command = _recorder.Commands.Last(c => c.Sql.Contains("ORDER BY", StringComparison.Ordinal) && c.Sql.Contains("audit_events", StringComparison.Ordinal));

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_app.DataDirectory, "images.db")};Mode=ReadOnly");
        await connection.OpenAsync(Ct);
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.Sql;
        foreach (var (name, value) in command.Parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var rows = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(reader.GetString(3));
        }

        return rows;
    }

    public void Dispose() => _app.Dispose();
}
