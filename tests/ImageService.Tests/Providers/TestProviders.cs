namespace ImageService.Tests.Providers;

// Which servers this run stores into. By default SQLite and files, the service's own default; when
// the environment names a PostgreSQL server and an S3 store (scripts/test-servers-start.sh starts
// both and prints these), every app and service process uses those instead, each with a database
// and a bucket of its own. The whole suite runs the same either way; a half-named server
// fails every test rather than quietly falling back to the default.
public static class TestProviders
{
    public const string PostgresVariable = "IMAGESERVICE_TEST_POSTGRES";
    public const string S3Prefix = "IMAGESERVICE_TEST_S3_";

    // An Npgsql connection string whose role may create databases.
    public static string? PostgresAdmin { get; } = Variable(PostgresVariable);

    public static S3Server? S3 { get; } = ReadS3();

    private static S3Server? ReadS3()
    {
        var endpoint = Variable(S3Prefix + "ENDPOINT");
        var accessKey = Variable(S3Prefix + "ACCESS_KEY");
        var secretKey = Variable(S3Prefix + "SECRET_KEY");
        var region = Variable(S3Prefix + "REGION") ?? "us-east-1";
        if (endpoint is null && accessKey is null && secretKey is null)
        {
            return null;
        }

        return endpoint is not null && accessKey is not null && secretKey is not null
            ? new S3Server(endpoint, accessKey, secretKey, region)
            : throw new InvalidOperationException($"Set all of {S3Prefix}ENDPOINT, ACCESS_KEY and SECRET_KEY, or none.");
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    public sealed record S3Server(string Endpoint, string AccessKey, string SecretKey, string Region);
}
