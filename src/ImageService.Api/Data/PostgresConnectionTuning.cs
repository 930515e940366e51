using System.Data.Common;
using System.Runtime.CompilerServices;
using Npgsql;

namespace ImageService.Api.Data;

// The operator's connection string, with two defaults of Npgsql's changed unless the string sets
// them itself. The service never changes session state and runs a handful of fixed statements, so
// each connection prepares them on the server once (Max Auto Prepare) and skips the state reset
// (DISCARD ALL) that Npgsql otherwise runs after every return to the pool. bench/api.sh --db
// postgres, same machine and run length: show 2,500 -> 4,400 req/s, list 1,800 -> 3,000.
internal static class PostgresConnectionTuning
{
    // Never inlined into DatabaseOptions: on SQLite the Npgsql assembly is then never loaded (about
    // 1.4 MiB of its code resident, bench/import.sh).
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static string Tune(string given)
    {
        var keys = new DbConnectionStringBuilder { ConnectionString = given }.Keys
            .Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var tuned = new NpgsqlConnectionStringBuilder(given);
        if (!keys.Contains(nameof(tuned.MaxAutoPrepare)))
        {
            tuned.MaxAutoPrepare = 64;
        }

        if (!keys.Contains(nameof(tuned.NoResetOnClose)))
        {
            tuned.NoResetOnClose = true;
        }

        return tuned.ConnectionString;
    }
}
