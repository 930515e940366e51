using Microsoft.Data.Sqlite;

namespace ImageService.Tests.Images;

// Asserts SQLite's plan, not timings: for each single-key sort, the account's own images are read
// as one index range (OwnerId = ?, then the sort key) with no full scan and no sort step, so a page
// costs the same however many images the account has. Only the union of at most 2 × limit rows is
// sorted. The SQL is the statement the request actually ran, captured by an EF Core interceptor.
public sealed class ImageListQueryPlanTests(PagedAccount account) : IClassFixture<PagedAccount>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("", "CreatedAt")]
    [InlineData("&sort=created_at:asc", "CreatedAt")]
    [InlineData("&sort=updated_at:desc", "UpdatedAt")]
    [InlineData("&sort=updated_at:asc", "UpdatedAt")]
    [InlineData("&sort=name:asc", "Name")]
    [InlineData("&sort=name:desc", "Name")]
    [InlineData("&sort=status:asc", "Status")]
    [InlineData("&sort=status:desc", "Status")]
    [InlineData("&sort=size:asc", "Size")]
    [InlineData("&sort=size:desc", "Size")]
    [InlineData("&sort=id:asc", "Id")]
    [InlineData("&sort=id:desc", "Id")]
    public async Task ListImages_SingleKeySort_ReadsTheOwnersImagesByIndexWithoutSorting(string sort, string column)
    {
        // These read SQLite's own EXPLAIN QUERY PLAN; the PostgreSQL run checks its plans in
        // Sharing/VisibleImagesQueryPlanTests, after ANALYZE, since PostgreSQL plans by statistics.
        Assert.SkipWhen(account.App.Backend.Database is not null, "SQLite's query plans; PostgreSQL's are checked by VisibleImagesQueryPlanTests.");

        using var client = account.CreateClient();
        var first = await client.GetFromJsonObjectAsync("/v1/images?limit=97" + sort);
        var marker = first["images"]![96]!["id"]!.GetValue<string>();

        foreach (var path in new[] { "/v1/images?limit=97" + sort, $"/v1/images?limit=97{sort}&marker={marker}" })
        {
            var plan = await PlanOfAsync(client, path);

            var index = column == "Id" ? "IX_images_OwnerId_Id" : $"IX_images_OwnerId_{column}_Id";
            var search = Assert.Single(plan, row => row.Detail.Contains($"USING INDEX {index} (OwnerId=?", StringComparison.Ordinal));
            var ownerArm = plan.Where(row => row.Parent == search.Parent).Select(row => row.Detail).ToArray();
            Assert.Equal([search.Detail], ownerArm);
            Assert.DoesNotContain(plan, row => row.Detail.StartsWith("SCAN images", StringComparison.Ordinal));
        }
    }

    private async Task<IReadOnlyList<PlanRow>> PlanOfAsync(HttpClient client, string path)
    {
        account.Recorder.Clear();
        await client.GetFromJsonObjectAsync(path);
        var command = account.Recorder.Commands.Last(c => c.Sql.Contains("UNION ALL", StringComparison.Ordinal));

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(account.App.DataDirectory, "images.db")};Mode=ReadOnly");
        await connection.OpenAsync(Ct);
        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + command.Sql;
        foreach (var (name, value) in command.Parameters)
        {
            explain.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var rows = new List<PlanRow>();
        await using var reader = await explain.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(new PlanRow(reader.GetInt32(0), reader.GetInt32(1), reader.GetString(3)));
        }

        return rows;
    }

    private sealed record PlanRow(int Id, int Parent, string Detail);
}
