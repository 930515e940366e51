using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Data;

internal static class DatabaseServiceCollectionExtensions
{
    public static IServiceCollection AddImageDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .Configure<IConfiguration>((o, c) => o.PostgresConnectionString = c.GetConnectionString(DatabaseOptions.ConnectionStringName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        if (DatabaseOptions.IsPostgresIn(configuration))
        {
            services.AddDbContextPool<PostgresImageDbContext>((sp, options) =>
                options.UseNpgsql(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.NpgsqlConnectionString));
            services.AddScoped<ImageDbContext>(sp => sp.GetRequiredService<PostgresImageDbContext>());
        }
        else
        {
            services.AddDbContextPool<SqliteImageDbContext>((sp, options) =>
                options.UseSqlite(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.SqliteConnectionString)
                    .AddInterceptors(SqliteConnectionKeeper.Instance));
            services.AddScoped<ImageDbContext>(sp => sp.GetRequiredService<SqliteImageDbContext>());
        }

        return services;
    }

    // Before serving: SQLite, the embedded default, is created and migrated with no setup. A shared
    // PostgreSQL database is migrated once by the operator (`db migrate`), never by every node on
    // boot; a node only checks that it was, and answers why it cannot start when not.
    public static async Task<string?> PrepareImageDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        try
        {
            return await PrepareAsync(services, options, cancellationToken);
        }
        catch (Exception e) when (DatabaseProblems.Describe(e, options) is { } problem)
        {
            return problem;
        }
    }

    private static async Task<string?> PrepareAsync(IServiceProvider services, DatabaseOptions options, CancellationToken cancellationToken)
    {
        if (!options.IsPostgres)
        {
            await services.MigrateImageDatabaseAsync(cancellationToken);
            return null;
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();

        // Asking for the history of a database never migrated would log a failed query first.
        var pending = await db.GetService<IHistoryRepository>().ExistsAsync(cancellationToken)
            ? (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList()
            : db.Database.GetMigrations().ToList();
        return pending.Count == 0
            ? null
            : $"The PostgreSQL database is not migrated to this version ({pending.Count} pending: {string.Join(", ", pending)}). " +
              "Run `ImageService.Api db migrate` (from source: `dotnet run --project src/ImageService.Api -- db migrate`) once, " +
              "with the same configuration, then start the nodes.";
    }

    public static async Task MigrateImageDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;

        // Before the context: the SQLite context opens its connection when it is made, and a first
        // command on a fresh machine (`keys create`) runs before anything else made the folder.
        if (!options.IsPostgres)
        {
            System.IO.Directory.CreateDirectory(options.FullDirectory);
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        if (options.IsPostgres)
        {
            // EF Core takes a lock for the migration, so two operators running it at once do no harm.
            await db.Database.MigrateAsync(cancellationToken);
            return;
        }

        await db.Database.MigrateAsync(cancellationToken);

        // WAL lets readers run beside the one writer; the setting is stored in the database file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
