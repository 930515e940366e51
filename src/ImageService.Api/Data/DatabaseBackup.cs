using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Data;

// `db backup <file>`: a consistent copy of the SQLite database taken while the service runs
// (docs/operations.md#backups). VACUUM INTO reads inside one transaction, so the copy is the
// database as of one moment, whatever the service writes meanwhile; writers are not blocked (WAL).
internal static class DatabaseBackup
{
    public static async Task<string?> BackUpAsync(IServiceProvider services, FileInfo target, CancellationToken ct)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (options.IsPostgres)
        {
            return "The database is PostgreSQL: back it up with pg_dump or your provider's snapshots (docs/operations.md#backups).";
        }

        if (target.Exists)
        {
            return $"{target.FullName} exists; name a new file, so that no backup is overwritten by accident.";
        }

        if (target.Directory is { Exists: false } missing)
        {
            return $"The folder {missing.FullName} does not exist.";
        }

        // Written under a temporary name and renamed, so the file that carries the name is whole.
        var partial = Path.Combine(target.DirectoryName!, $".{target.Name}.{Guid.NewGuid():N}.partial");
        try
        {
            await using (var connection = new SqliteConnection(options.SqliteConnectionString + ";Mode=ReadOnly"))
            {
                await connection.OpenAsync(ct);
                await using var vacuum = connection.CreateCommand();
                vacuum.CommandText = "VACUUM INTO $target";
                vacuum.Parameters.AddWithValue("$target", partial);
                await vacuum.ExecuteNonQueryAsync(ct);
            }

            File.Move(partial, target.FullName);
            return null;
        }
        catch (SqliteException e)
        {
            return $"The database could not be copied: {e.Message}";
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
