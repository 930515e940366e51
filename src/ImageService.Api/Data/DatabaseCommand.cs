using System.CommandLine;
using Microsoft.AspNetCore.DataProtection;

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

            // Nodes that start together on an empty key ring would each create a key of their own;
            // creating the first one here gives them one ring from the start.
            services.GetRequiredService<IDataProtectionProvider>().CreateProtector("ImageService.KeyRing").Protect([]);
            Console.WriteLine("The database is migrated.");
            return 0;
        });
        db.Subcommands.Add(migrate);
        return db;
    }
}
