using System.Net;

namespace ImageService.Cli;

// The exit code tells a script what kind of failure happened; docs/cli.md lists the same table.
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Auth = 3;
    public const int NotFound = 4;
    public const int Conflict = 5;
    public const int Server = 6;
    public const int ImportFailed = 7;

    // 128 + SIGINT, as shells report a command stopped with Ctrl+C.
    public const int Interrupted = 130;

    public static readonly IReadOnlyList<(int Code, string Meaning)> All =
    [
        (Ok, "success"),
        (Failure, "any other failure: a file could not be written, a download was corrupted, --timeout passed, …"),
        (Usage, "usage: bad arguments or configuration, or the service refused the request as invalid (400, 406, other 4xx)"),
        (Auth, "authentication or permission: the service answered 401 or 403"),
        (NotFound, "not found: the service answered 404"),
        (Conflict, "conflict: the service answered 409 (a protected image, a duplicate member, …)"),
        (Server, "server: the service answered 5xx, or could not be reached"),
        (ImportFailed, "the import failed (with --wait and 'images wait'); the reason is on stderr"),
        (Interrupted, "stopped with Ctrl+C; an import being waited for goes on"),
    ];

    public static int For(HttpStatusCode status) => (int)status switch
    {
        401 or 403 => Auth,
        404 => NotFound,
        409 => Conflict,
        >= 500 => Server,
        >= 400 => Usage,
        _ => Failure,
    };
}
