using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace ImageService.Api.Hosting;

// System.CommandLine's help of the management commands; the root's help also says how to serve
// and lists the main settings (docs/configuration.md has every one).
internal sealed class ServiceHelpAction(HelpAction help) : SynchronousCommandLineAction
{
    // As the operator runs it: `dotnet ImageService.Api.dll`, or `dotnet run --project src/ImageService.Api --`.
    public const string ProgramName = "ImageService.Api";

    private static readonly (string Setting, string Meaning)[] MainSettings =
    [
        ("--urls URL", "where to listen (default http://127.0.0.1:8080)"),
        ("--Data:Directory=PATH", "SQLite database, image files and key ring (default ./data)"),
        ("--Data:Provider=Postgres", "a shared PostgreSQL database, named by ConnectionStrings:Images"),
        ("--Storage:Provider=S3", "image bytes in a shared bucket, Storage:S3:Bucket and Storage:S3:*"),
        ("--Import:AllowedSources:0=URL", "a URL prefix imports may come from (none: nothing is imported)"),
        ("--Import:MaxConcurrentImports=N", "imports running at once on this node (default 2)"),
        ("--ForwardedHeaders:TrustedProxies:0=IP", "a load balancer whose X-Forwarded-* headers are believed"),
    ];

    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var result = help.Invoke(parseResult);
        if (parseResult.CommandResult.Command is not RootCommand)
        {
            return result;
        }

        var output = parseResult.InvocationConfiguration.Output;
        output.WriteLine("Serve:");
        output.WriteLine($"  {ProgramName} [settings]   serves the API until Ctrl+C (SIGTERM hands running imports back)");
        output.WriteLine();
        output.WriteLine("Main settings (as options, or in the environment with __ for ':', as in Import__AllowedSources__0):");
        foreach (var (setting, meaning) in MainSettings)
        {
            output.WriteLine($"  {setting,-40} {meaning}");
        }

        output.WriteLine();
        output.WriteLine("Every setting, with its default: docs/configuration.md");
        output.WriteLine();
        return result;
    }
}
