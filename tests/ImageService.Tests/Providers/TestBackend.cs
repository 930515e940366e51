using ImageService.Api.Data;
using Microsoft.EntityFrameworkCore;

namespace ImageService.Tests.Providers;

// The database and the image store one app, or one group of service processes, uses: SQLite and
// files in the data folder by default, or a fresh PostgreSQL database and a bucket of its own when
// the run names the servers (TestProviders).
public sealed class TestBackend : IDisposable
{
    private TestBackend(string dataDirectory, PostgresTestDatabase? database, S3TestBucket? bucket)
    {
        DataDirectory = dataDirectory;
        Database = database;
        Bucket = bucket;
        Settings = new Dictionary<string, string>(StringComparer.Ordinal) { ["Data:Directory"] = dataDirectory };
        if (database is not null)
        {
            Settings["Data:Provider"] = DatabaseOptions.Postgres;
            Settings["ConnectionStrings:Images"] = database.ConnectionString;
        }

        foreach (var (key, value) in bucket?.Settings ?? new Dictionary<string, string>())
        {
            Settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    public PostgresTestDatabase? Database { get; }

    public S3TestBucket? Bucket { get; }

    // Configuration keys, as an app's settings.
    public Dictionary<string, string> Settings { get; }

    // migrated: false gives a PostgreSQL database as it is before the first `db migrate`.
    public static TestBackend Create(string dataDirectory, bool migrated = true) =>
        new(dataDirectory,
            TestProviders.PostgresAdmin is { } admin ? PostgresTestDatabase.Create(admin, migrated) : null,
            TestProviders.S3 is { } s3 ? new S3TestBucket(s3) : null);

    // The same settings as environment variables, for a service process.
    public Dictionary<string, string> Environment() =>
        Settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value, StringComparer.Ordinal);

    // A context of its own on the same database, for arranging and inspecting rows directly.
    internal ImageDbContext CreateDbContext() =>
        (ImageDbContext?)Database?.CreateContext() ?? new SqliteImageDbContext(new DbContextOptionsBuilder<SqliteImageDbContext>()
            .UseSqlite(new DatabaseOptions { Directory = DataDirectory }.SqliteConnectionString).Options);

    public void Dispose()
    {
        Bucket?.Dispose();
        Database?.Dispose();
    }
}
