using ImageService.Tests.Imports;
using ImageService.Tests.Providers;

namespace ImageService.Tests.Data;

// SQLite, the single-node default, migrates itself on start. A shared PostgreSQL database is
// migrated once, by the operator's `db migrate`, never by each node on boot: until then a node
// refuses to start and says what to run.
public sealed class DatabaseMigrationTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("imageservice-migrate-").FullName;
    private readonly TestBackend _backend;

    public DatabaseMigrationTests() => _backend = TestBackend.Create(_data, migrated: false);

    [Fact]
    public async Task Start_NewDatabase_SqliteMigratesItselfPostgresWaitsForDbMigrate()
    {
        var ct = TestContext.Current.CancellationToken;
        var environment = _backend.Environment();

        var before = await ServiceProcess.RunAsync(environment, ct, "keys", "list");
        var migrate = await ServiceProcess.RunAsync(environment, ct, "db", "migrate");
        var again = await ServiceProcess.RunAsync(environment, ct, "db", "migrate");
        var after = await ServiceProcess.RunAsync(environment, ct, "keys", "list");

        if (_backend.Database is null)
        {
            Assert.Equal(0, before.ExitCode);
        }
        else
        {
            Assert.Equal(1, before.ExitCode);
            Assert.Contains("not migrated", before.Error, StringComparison.Ordinal);
            Assert.Contains("db migrate", before.Error, StringComparison.Ordinal);
        }

        Assert.Equal((0, "The database is migrated."), (migrate.ExitCode, migrate.Output.Trim()));
        Assert.Equal(0, again.ExitCode);
        Assert.Equal((0, ""), (after.ExitCode, after.Output));
    }

    public void Dispose()
    {
        _backend.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
