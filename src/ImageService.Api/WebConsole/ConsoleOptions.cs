using System.ComponentModel.DataAnnotations;

namespace ImageService.Api.WebConsole;

// The web console's sessions and sign-in throttle (docs/console.md).
internal sealed class ConsoleOptions
{
    public const string Section = "Console";

    // A session left unused this long ends; each request within it extends it.
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    // A session ends this long after sign-in, however busy.
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan AbsoluteTimeout { get; set; } = TimeSpan.FromHours(8);

    // Failed sign-ins one address may make per window before its sign-ins are refused until the
    // window ends.
    [Range(1, 1000)]
    public int SignInFailureLimit { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SignInFailureWindow { get; set; } = TimeSpan.FromMinutes(1);
}
