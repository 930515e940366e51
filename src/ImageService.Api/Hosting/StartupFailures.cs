using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Hosting;

// A start that fails for a reason the operator can fix ends with one line that says what to
// change and exit code 1, not a stack trace and an abort (exit 134). Anything else is a bug and
// keeps its stack trace.
internal static partial class StartupFailures
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    // The host logs "Hosting failed to start" with the whole stack trace before it rethrows; while
    // it starts, that one error is left to Describe. Later errors are logged as always.
    public static void QuietWhileStarting(ILoggingBuilder logging, Func<bool> started) =>
        logging.AddFilter(HostCategory, level => level >= LogLevel.Information && (level != LogLevel.Error || started()));

    // The host is disposed by the time its start failed, so the configured URLs come in as a string.
    public static string? Describe(Exception exception, string? configuredUrls) => exception switch
    {
        IOException { InnerException: AddressInUseException } =>
            $"error: cannot listen on {Address(exception, configuredUrls)}: the address is already in use. " +
            "Stop what listens there, or choose another address with --urls (for example --urls http://127.0.0.1:8081).",
        OptionsValidationException invalid => Invalid(invalid.Failures),
        AggregateException many when many.InnerExceptions.All(e => e is OptionsValidationException) =>
            Invalid(many.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures)),
        _ => null,
    };

    private static string Invalid(IEnumerable<string> failures) =>
        $"error: the configuration is not valid: {string.Join(" ", failures)} (docs/configuration.md)";

    // Kestrel names the address in its message; the configured URLs when it does not.
    private static string Address(Exception exception, string? configuredUrls) =>
        KestrelAddress().Match(exception.Message) is { Success: true } match ? match.Groups["address"].Value
        : configuredUrls ?? "the configured address";

    [GeneratedRegex("address (?<address>\\S+): address already in use", RegexOptions.CultureInvariant)]
    private static partial Regex KestrelAddress();
}
