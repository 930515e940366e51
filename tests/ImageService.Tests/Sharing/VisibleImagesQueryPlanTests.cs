using System.Data.Common;
using System.Security.Claims;
using System.Text.RegularExpressions;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Api.PendingImages;
using ImageService.Api.Versioning;
using ImageService.Protocol.Images;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ImageService.Tests.Sharing;

// "Listing an account's visible images is no slower with 100,000 shared images in the database than
// without." Timings are noise on a shared machine; the query plan is not. Each "what can this
// account see" query is run through the production code with its SQL recorded, and SQLite's plan
// for that exact SQL must reach images and image_members only through index searches, and stay the
// same after 100,000 images shared among other accounts are added. PostgreSQL plans by statistics,
// and rightly scans a table of three rows, so there the plans are read once the 100,000 rows are in
// and analyzed, and must reach both tables through their indexes only.
public sealed partial class VisibleImagesQueryPlanTests : IDisposable
{
    // The app's own DbContext records its commands: compiled queries run only with the model they
    // were compiled against, so a separately built context would not do.
    private readonly CommandRecorder _recorder = new();
    private readonly ImageServiceApp _app;

    public VisibleImagesQueryPlanTests() =>
        _app = ImageServiceApp.Create(services: s => s
            .ConfigureDbContext<SqliteImageDbContext>(o => o.AddInterceptors(_recorder))
            .ConfigureDbContext<PostgresImageDbContext>(o => o.AddInterceptors(_recorder)));

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task VisibleImageQueries_100000ImagesSharedAmongOthers_SearchIndexesWithTheSamePlan()
    {
        using var caller = await Party.CreateAsync(_app, "caller");
        using var owner = await Party.CreateAsync(_app, "owner");
        var own = await caller.Client.CreateImageAsync("private", "own");
        var accepted = await owner.Client.CreateImageAsync(name: "accepted");
        await owner.Client.AddMemberWithStatusAsync(accepted, caller, "accepted");
        var pending = await owner.Client.CreateImageAsync(name: "pending");
        await owner.Client.AddMemberWithStatusAsync(pending, caller, "pending");

        var before = await RunVisibleQueriesAsync(caller.AccountId, own);
        await _app.InsertSharedImagesAsync(50_000, "acct-bulk-owner", "acct-bulk-member", "accepted", accounts: 1000);
        await _app.InsertSharedImagesAsync(50_000, "acct-bulk-owner", "acct-bulk-member", "pending", accounts: 1000);
        var after = await RunVisibleQueriesAsync(caller.AccountId, own);

        Assert.Equal([accepted, own], before.Listed);
        Assert.Equal(before.Listed, after.Listed);
        Assert.Equal([pending], after.Pending);
        Assert.Equal(before.Plans.Select(q => q.Sql), after.Plans.Select(q => q.Sql));
        if (_app.Backend.Database is null)
        {
            Assert.Equal(before.Plans.Select(q => string.Join("\n", q.Plan)), after.Plans.Select(q => string.Join("\n", q.Plan)));
            Assert.All(after.Plans, query => Assert.True(SearchesOnly(query.Sql, query.Plan), $"{query.Sql}\n--\n{string.Join("\n", query.Plan)}"));
        }
        else
        {
            Assert.All(after.Plans, query => Assert.True(UsesIndexesOnly(query.Plan), $"{query.Sql}\n--\n{string.Join("\n", query.Plan)}"));
        }
    }

    private async Task<Results> RunVisibleQueriesAsync(string accountId, string markerId)
    {
        var ct = TestContext.Current.CancellationToken;
        var recorder = _recorder;
        recorder.Commands.Clear();
        var connectionString = _app.Backend.Database?.ConnectionString ??
                               _app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.SqliteConnectionString;
        await using var scope = _app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();

        var listed = await ImagePaging.PageAsync(db, accountId, Parse(""), ct);
        await ImagePaging.PageAsync(db, accountId, Parse($"marker={markerId}"), ct);
        await ImagePaging.PageAsync(db, accountId, Parse("sort=name:asc&visibility=shared"), ct);
        await db.FindReadableAsync(accountId, markerId, ct);
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString("?scp_image_type=custom");
        var caller = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ScpClaims.AccountId, accountId)], "test"));
        var pending = (Ok<ImageListResponseV1Dot2>)await PendingImagesApi.ListPendingImages(http.Request, ApiVersion.V1Dot3, caller, db, ct);

        await using DbConnection connection = _app.Backend.Database is null ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        if (connection is NpgsqlConnection)
        {
            await using var analyze = connection.CreateCommand();
            analyze.CommandText = "ANALYZE images; ANALYZE image_members;";
            await analyze.ExecuteNonQueryAsync(ct);
        }

        var plans = new List<(string Sql, string[] Plan)>();
        foreach (var command in recorder.Commands)
        {
            plans.Add((command.Sql, await ExplainAsync(connection, command)));
        }

        return new Results(listed!.Select(i => i.Id).ToArray(), pending.Value!.Images.Select(i => i.Id).ToArray(), plans);
    }

    private static ImageListQuery Parse(string query) =>
        ImageListQuery.Parse(new QueryCollection(QueryHelpers.ParseQuery(query)), out _) ?? throw new InvalidOperationException(query);

    private static async Task<string[]> ExplainAsync(DbConnection connection, RecordedCommand recorded)
    {
        await using var command = connection.CreateCommand();
        var sqlite = connection is SqliteConnection;
        command.CommandText = (sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + recorded.Sql;
        foreach (var (name, value) in recorded.Parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            plan.Add(reader.GetString(sqlite ? 3 : 0));
        }

        return [.. plan];
    }

    // PostgreSQL's plan names a full pass over a table "Seq Scan on <table>"; reading through an
    // index is an Index Scan, Index Only Scan or Bitmap Index Scan.
    private static bool UsesIndexesOnly(string[] plan) =>
        !plan.Any(line => line.Contains("Seq Scan on images", StringComparison.Ordinal) ||
                          line.Contains("Seq Scan on image_members", StringComparison.Ordinal));

    // A full pass over a table (SCAN images, or SCAN i for "images" AS "i") reads every row the
    // database holds; a SEARCH reads only the rows its index range matches. Scans of subquery
    // results (the merged page) are bounded by the page size and are fine.
    private static bool SearchesOnly(string sql, string[] plan)
    {
        var tables = TableAlias().Matches(sql).Select(m => m.Groups["alias"].Value).Concat(["images", "image_members"]).ToHashSet();
        return plan.All(line => Scan().Match(line) is not { Success: true } scan || !tables.Contains(scan.Groups["name"].Value));
    }

    [GeneratedRegex("\"(?:images|image_members)\" AS \"(?<alias>\\w+)\"")]
    private static partial Regex TableAlias();

    [GeneratedRegex("^SCAN (?<name>\\w+)")]
    private static partial Regex Scan();

    private sealed record Results(string[] Listed, string[] Pending, List<(string Sql, string[] Plan)> Plans);

    private sealed record RecordedCommand(string Sql, (string Name, object? Value)[] Parameters);

    private sealed class CommandRecorder : DbCommandInterceptor
    {
        public List<RecordedCommand> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add(new RecordedCommand(command.CommandText,
                command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToArray()));
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }
    }
}
