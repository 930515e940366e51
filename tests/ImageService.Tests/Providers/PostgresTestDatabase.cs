using ImageService.Api.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace ImageService.Tests.Providers;

// A fresh PostgreSQL database for one app, so that no test reads another's rows. It is copied from
// a template this test process migrates once (CREATE DATABASE … TEMPLATE is a file copy, far faster
// than running the migrations again), and dropped when the app is disposed.
public sealed class PostgresTestDatabase : IDisposable
{
    private static readonly Lock Creating = new();
    private static string? _template;
    private readonly string _admin;

    private PostgresTestDatabase(string admin, string name)
    {
        _admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    // admin: a connection string whose role may create databases (the recipe's role may).
    // Migrated like a deployed database, or empty as before the first `db migrate`.
    public static PostgresTestDatabase Create(string admin, bool migrated = true)
    {
        var name = $"imageservice_test_{Guid.NewGuid():N}";

        // PostgreSQL refuses to copy a template while another copy of it is being made.
        lock (Creating)
        {
            if (migrated)
            {
                _template ??= CreateTemplate(admin);
            }

            Execute(admin, migrated ? $"CREATE DATABASE \"{name}\" TEMPLATE \"{_template}\"" : $"CREATE DATABASE \"{name}\"");
        }

        return new PostgresTestDatabase(admin, name);
    }

    internal PostgresImageDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<PostgresImageDbContext>().UseNpgsql(ConnectionString).Options);

    public void Dispose()
    {
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }

        Execute(_admin, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static string CreateTemplate(string admin)
    {
        var name = $"imageservice_template_{Environment.ProcessId}_{Guid.NewGuid():N}";
        Execute(admin, $"CREATE DATABASE \"{name}\"");

        // No pooling: a copy needs the template without a single open connection.
        var template = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString;
        using (var db = new PostgresImageDbContext(new DbContextOptionsBuilder<PostgresImageDbContext>().UseNpgsql(template).Options))
        {
            db.Database.Migrate();
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) => Execute(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        return name;
    }

    private static void Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
