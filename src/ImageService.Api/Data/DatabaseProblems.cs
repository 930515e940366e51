using Microsoft.Data.Sqlite;
using Npgsql;

namespace ImageService.Api.Data;

// Why a node cannot open its database, in one line an operator can act on: the data folder it may
// not write, or the PostgreSQL server it cannot reach. Anything else is a bug and keeps its stack
// trace. The connection string is never echoed: it carries the password.
internal static class DatabaseProblems
{
    // SQLite's result codes for a file it cannot open or write (https://sqlite.org/rescode.html).
    private const int SqliteReadOnly = 8;
    private const int SqliteCantOpen = 14;
    private const int SqliteIoError = 10;

    public static string? Describe(Exception exception, DatabaseOptions options) => exception switch
    {
        UnauthorizedAccessException or IOException or SqliteException { SqliteErrorCode: SqliteReadOnly or SqliteCantOpen or SqliteIoError }
            when !options.IsPostgres =>
            $"error: the data folder {options.FullDirectory} cannot be written ({exception.Message.TrimEnd('.')}). " +
            "Give the service's user write access to it, or choose another folder with --Data:Directory=PATH.",
        NpgsqlException or TimeoutException when options.IsPostgres =>
            $"error: the PostgreSQL database at {Server(options)} (ConnectionStrings:Images) cannot be used: {FirstLine(exception)}. " +
            "Check that the server runs and lets this node in, or fix ConnectionStrings:Images.",
        _ => null,
    };

    private static string Server(DatabaseOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.PostgresConnectionString);
        return $"{builder.Host}:{builder.Port}";
    }

    private static string FirstLine(Exception exception)
    {
        var message = exception is PostgresException postgres ? $"{postgres.SqlState}: {postgres.MessageText}" : exception.Message;
        return message.Split('\n')[0].TrimEnd('.', '\r');
    }
}
