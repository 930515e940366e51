using System.CommandLine;
using Microsoft.AspNetCore.DataProtection;

namespace ImageService.Api.Data;

// `db migrate`: the deploy step that brings a shared PostgreSQL database to this version's schema
// before any node of the version starts. On SQLite it does what every start does anyway.
// `db backup <file>`: an online copy of a single node's SQLite database.
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

        var file = new Argument<FileInfo>("file") { Description = "The new file to write the copy to; it must not exist." };
        var backup = new Command("backup", "Copy the SQLite database, consistently, while the service runs (docs/operations.md#backups).") { file };
        backup.SetAction(async (parse, ct) =>
        {
            var target = parse.GetValue(file)!;
            if (await DatabaseBackup.BackUpAsync(services, target, ct) is { } problem)
            {
                await Console.Error.WriteLineAsync(problem);
                return 1;
            }

            Console.WriteLine($"The database is backed up to {target.FullName}.");
            return 0;
        });
        db.Subcommands.Add(backup);
        return db;
    }
}
