using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ImageService.Api.WebConsole;

// Failed console sign-ins per client address: past the limit, the address's sign-ins are refused
// until the window ends, whether the secret is right or not, so guessing costs a window per few
// tries. Only failures count, so a person who signs in often is never slowed down.
internal sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public SignInThrottle(IOptions<ConsoleOptions> options)
    {
        var limit = options.Value.SignInFailureLimit;
        var window = options.Value.SignInFailureWindow;
        _failures = PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = limit, Window = window, QueueLimit = 0, AutoReplenishment = true }));
        Window = window;
    }

    public TimeSpan Window { get; }

    public bool IsRefused(IPAddress? address) => _failures.GetStatistics(Partition(address))?.CurrentAvailablePermits == 0;

    public void RecordFailure(IPAddress? address)
    {
        using var lease = _failures.AttemptAcquire(Partition(address));
    }

    public void Dispose() => _failures.Dispose();

    // One IPv6 subscriber usually holds a whole /64, so the /64 is the unit; IPv4-mapped addresses
    // count as the IPv4 address they carry.
    private static string Partition(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
