using System.Net;
using System.Net.Sockets;
using static ImageService.Api.Imports.Sources.ImportSourceCodes;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// The connect step of the download client: resolves the host once, checks every address, and
/// connects to a checked address.
/// </summary>
/// <remarks>
/// Checking a name and then letting the socket layer resolve it again is the DNS-rebinding hole: the
/// second answer can be 169.254.169.254. Here the addresses that were checked are the only ones dialled.
/// </remarks>
internal sealed partial class SourceConnector(ImportSourcePolicy policy, ILogger<SourceConnector> logger)
{
    public async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, CancellationToken ct)
    {
        var host = endPoint.Host;
        var addresses = await ResolveAsync(host, ct);
        foreach (var address in addresses)
        {
            // One refused address refuses the name: a name that mixes public and internal addresses is
            // either misconfigured or an attack, and the address tried first is not ours to choose.
            if (!policy.IsAddressAllowed(address, host))
            {
                Log.AddressRefused(logger, host, address);
                throw new SourceFailureException(new SourceFailure(SourceAddressRefused,
                    "The source's host name resolves to an internal address (loopback, private, link-local, metadata or "
                    + "reserved), which this service does not connect to unless an operator declares that network "
                    + "(Import:AllowedSourceNetworks; never link-local or metadata)."));
            }
        }

        for (var i = 0; ; i++)
        {
            var socket = new Socket(addresses[i].AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses[i], endPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException) when (i < addresses.Length - 1)
            {
                socket.Dispose();
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }

    private async ValueTask<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        if (SourceHost.TryGetAddress(host, out var literal))
        {
            return [literal];
        }

        // An operator's static table (Import:HostAddresses) stands in for DNS; its answers are checked
        // like any other.
        if (policy.TryGetHostAddresses(host, out var pinned))
        {
            return pinned;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, ct);
        }
        catch (SocketException e)
        {
            throw new SourceFailureException(
                new SourceFailure(SourceUnreachable, "The source's host name could not be resolved; check the URL's host."), e);
        }

        return addresses.Length > 0
            ? addresses
            : throw new SourceFailureException(
                new SourceFailure(SourceUnreachable, "The source's host name has no addresses; check the URL's host."));
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Refused to connect to {Host}: it resolved to {Address}, a special-purpose address")]
        public static partial void AddressRefused(ILogger logger, string host, IPAddress address);
    }
}
