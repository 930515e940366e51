using System.CommandLine;
using ImageService.Api.Authentication;
using ImageService.Api.Data;

namespace ImageService.Api;

// `dotnet run -- keys …`: management commands share the service's configuration, and run instead
// of the web server.
internal static class ManagementCommands
{
    private static readonly string[] Names = ["keys"];

    public static bool IsCommand(string[] args) => args.Length > 0 && Names.Contains(args[0]);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args)
    {
        await services.MigrateImageDatabaseAsync();
        var root = new RootCommand("Image service management commands.") { KeysCommand.Create(services) };
        return await root.Parse(args).InvokeAsync();
    }
}
