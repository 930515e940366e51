using System.Net;
using System.Net.Sockets;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// Addresses that are not on the public internet: where a server-side request forgery reaches
/// internal services, cloud metadata (169.254.169.254) or the service itself.
/// </summary>
/// <remarks>
/// Taken from the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and updates), plus
/// multicast. IPv6 is allowed only in global unicast 2000::/3 (RFC 4291 §2.4). Addresses that embed an
/// IPv4 address (mapped, NAT64 and 6to4) are judged by the address they embed, because that is the
/// host they reach.
/// </remarks>
internal static class SpecialPurposeAddresses
{
    private static readonly IPNetwork[] IPv4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),          // "this network" and unspecified, RFC 791
        IPNetwork.Parse("10.0.0.0/8"),         // private, RFC 1918
        IPNetwork.Parse("100.64.0.0/10"),      // carrier-grade NAT, RFC 6598
        IPNetwork.Parse("127.0.0.0/8"),        // loopback, RFC 1122
        IPNetwork.Parse("169.254.0.0/16"),     // link-local and cloud metadata, RFC 3927
        IPNetwork.Parse("172.16.0.0/12"),      // private, RFC 1918
        IPNetwork.Parse("192.0.0.0/24"),       // IETF protocol assignments, RFC 6890
        IPNetwork.Parse("192.0.2.0/24"),       // documentation, RFC 5737
        IPNetwork.Parse("192.88.99.0/24"),     // 6to4 relay anycast, RFC 7526
        IPNetwork.Parse("192.168.0.0/16"),     // private, RFC 1918
        IPNetwork.Parse("198.18.0.0/15"),      // benchmarking, RFC 2544
        IPNetwork.Parse("198.51.100.0/24"),    // documentation, RFC 5737
        IPNetwork.Parse("203.0.113.0/24"),     // documentation, RFC 5737
        IPNetwork.Parse("224.0.0.0/4"),        // multicast, RFC 5771
        IPNetwork.Parse("240.0.0.0/4"),        // reserved and broadcast, RFC 1112 and RFC 919
    ];

    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");

    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    private static readonly IPNetwork[] IPv6 =
    [
        IPNetwork.Parse("2001::/23"),          // IETF protocol assignments incl. Teredo, RFC 2928
        IPNetwork.Parse("2001:db8::/32"),      // documentation, RFC 3849
        IPNetwork.Parse("3fff::/20"),          // documentation, RFC 9637
    ];

    // Never a target for a host name, whatever Import:AllowedSourceNetworks declares: link-local
    // addresses reach the cloud's instance metadata (credentials) and the host's own neighbours, and
    // no object store is served from them.
    private static readonly IPNetwork[] LinkLocalOrMetadata =
    [
        IPNetwork.Parse("169.254.0.0/16"),     // link-local, and metadata on AWS, GCP, Azure, OpenStack, RFC 3927
        IPNetwork.Parse("100.100.100.200/32"), // Alibaba Cloud instance metadata
        IPNetwork.Parse("168.63.129.16/32"),   // Azure WireServer
        IPNetwork.Parse("fe80::/10"),          // IPv6 link-local, RFC 4291 §2.5.6
        IPNetwork.Parse("fd00:ec2::254/128"),  // AWS instance metadata over IPv6
    ];

    public static bool Contains(IPAddress address)
    {
        address = Reached(address);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            foreach (var network in IPv4)
            {
                if (network.Contains(address))
                {
                    return true;
                }
            }

            return false;
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || !GlobalUnicast.Contains(address))
        {
            return true;
        }

        foreach (var network in IPv6)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsLinkLocalOrMetadata(IPAddress address)
    {
        address = Reached(address);
        foreach (var network in LinkLocalOrMetadata)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The address a connection to <paramref name="address"/> reaches: the IPv4 address it embeds, if any.</summary>
    public static IPAddress Reached(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        return Nat64.Contains(address) ? Reached(new IPAddress(bytes[12..]))
            : SixToFour.Contains(address) ? Reached(new IPAddress(bytes[2..6]))
            : address;
    }
}
