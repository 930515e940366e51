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

    // A newcomer's first command, before the service ever ran: nothing has made the data folder yet.
    [Fact]
    public async Task KeysCreate_DataFolderDoesNotExistYet_CreatesFolderAndKey()
    {
        var ct = TestContext.Current.CancellationToken;
        var environment = _backend.Environment();
        var fresh = Path.Combine(_data, "not", "made", "yet");
        environment["Data__Directory"] = fresh;
        if (_backend.Database is not null)
        {
            Assert.Equal(0, (await ServiceProcess.RunAsync(environment, ct, "db", "migrate")).ExitCode);
        }

        var key = await ServiceProcess.CreateKeyAsync(environment, "first-account", ct);
        var list = await ServiceProcess.RunAsync(environment, ct, "keys", "list");

        Assert.Equal(0, list.ExitCode);
        Assert.Contains(key.AccessKey, list.Output, StringComparison.Ordinal);
        // SQLite keeps the database there; on PostgreSQL the keys and the key ring live in the database.
        if (_backend.Database is null)
        {
            Assert.True(Directory.Exists(fresh));
        }
    }

    public void Dispose()
    {
        _backend.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
