using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Data;

internal static class DatabaseServiceCollectionExtensions
{
    public static IServiceCollection AddImageDatabase(this IServiceCollection services)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddDbContextPool<SqliteImageDbContext>((sp, options) =>
            options.UseSqlite(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.SqliteConnectionString));
        services.AddScoped<ImageDbContext>(sp => sp.GetRequiredService<SqliteImageDbContext>());
        return services;
    }

    // SQLite is the embedded default: it is created and migrated on start, with no setup.
    public static async Task MigrateImageDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        System.IO.Directory.CreateDirectory(options.FullDirectory);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        await db.Database.MigrateAsync(cancellationToken);

        // WAL lets readers run beside the one writer; the setting is stored in the database file.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
