using System.CommandLine;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Quotas;

namespace ImageService.Api;

// `dotnet run -- keys …`, `-- quotas …` and `-- db migrate`: management commands share the service's
// configuration, and run instead of the web server.
internal static class ManagementCommands
{
    private static readonly string[] Names = ["keys", "quotas", "db"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Names.Contains(args[0]);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        // Every command but the migration itself needs a database that is ready.
        if (args[0] != "db" && await services.PrepareImageDatabaseAsync() is { } problem)
        {
            await Console.Error.WriteLineAsync(problem);
            return 1;
        }

        var root = new RootCommand("Image service management commands.") { KeysCommand.Create(services), QuotasCommand.Create(services), DatabaseCommand.Create(services) };
        return await root.Parse(args).InvokeAsync();
    }
}
