namespace ImageService.Tests.Providers;

// Which servers this run stores into. By default SQLite and files, the service's own default; when
// the environment names a PostgreSQL server and an S3 store (.ci/run starts both from
// ../shared/recipes and sets these), every app and service process uses those instead, each with a
// database and a bucket of its own. The whole suite runs the same either way.
public static class TestProviders
{
    public const string PostgresVariable = "IMAGESERVICE_TEST_POSTGRES";

    // An Npgsql connection string whose role may create databases.
    public static string? PostgresAdmin { get; } = Variable(PostgresVariable);

    public static bool UsesPostgres => PostgresAdmin is not null;

    public static string Describe() => UsesPostgres ? "PostgreSQL" : "SQLite";

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
