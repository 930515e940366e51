namespace ImageService.Cli;

// Not top-level statements: those generate a global Program class, which would collide with the
// service's in the test project that references both.
internal static class Program
{
    public static Task<int> Main(string[] args) => Cli.RunAsync(args, CliContext.FromProcess());
}
