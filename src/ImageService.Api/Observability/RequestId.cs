using System.Buffers;
using System.Diagnostics;

namespace ImageService.Api.Observability;

// The correlation id of a request: the client's X-Request-Id when it is safe to echo and to log,
// else a new W3C trace id (the current trace's, when one was propagated).
internal static class RequestId
{
    public const int MaxLength = 128;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:");

    public static bool IsValid(string? candidate) =>
        !string.IsNullOrEmpty(candidate) && candidate.Length <= MaxLength && !candidate.AsSpan().ContainsAnyExcept(Allowed);

    public static string For(HttpRequest request)
    {
        var incoming = request.Headers[Protocol.ScpHeaders.RequestId];
        return incoming.Count == 1 && IsValid(incoming[0])
            ? incoming[0]!
            : (Activity.Current?.TraceId ?? ActivityTraceId.CreateRandom()).ToHexString();
    }
}
