using System.CommandLine;

namespace ImageService.Api.Data;

// `db migrate`: the deploy step that brings a shared PostgreSQL database to this version's schema
// before any node of the version starts. On SQLite it does what every start does anyway.
internal static class DatabaseCommand
{
    public static Command Create(IServiceProvider services)
    {
        var db = new Command("db", "Manage the image database.");
        var migrate = new Command("migrate", "Apply the migrations this version needs; run it once per deploy, before starting the nodes.");
        migrate.SetAction(async (_, ct) =>
        {
            await services.MigrateImageDatabaseAsync(ct);
            Console.WriteLine("The database is migrated.");
            return 0;
        });
        db.Subcommands.Add(migrate);
        return db;
    }
}
