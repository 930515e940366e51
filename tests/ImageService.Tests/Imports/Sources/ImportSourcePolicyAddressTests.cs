using System.Net;
using ImageService.Api.Imports;
using ImageService.Api.Imports.Sources;

namespace ImageService.Tests.Imports.Sources;

public sealed class ImportSourcePolicyAddressTests
{
    private static readonly ImportSourcePolicy Policy = new(new ImportOptions
    {
        AllowedSources =
        [
            "https://good.example.com/bucket/",
            "http://127.0.0.1:9000",
            "http://localhost:9001",
            "http://[::1]:9002",
            "http://10.0.0.5:9003/images/",
        ],
    });

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("192.0.0.8")]
    [InlineData("192.0.2.1")]
    [InlineData("198.18.0.1")]
    [InlineData("198.51.100.1")]
    [InlineData("203.0.113.1")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::127.0.0.1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fe80::1")]
    [InlineData("fec0::1")]
    [InlineData("ff02::1")]
    [InlineData("64:ff9b::7f00:1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("64:ff9b:1::1")]
    [InlineData("2002:7f00:1::1")]
    [InlineData("2002:a9fe:a9fe::1")]
    [InlineData("2001::1")]
    [InlineData("2001:db8::1")]
    [InlineData("3fff::1")]
    [InlineData("100::1")]
    public void IsAddressAllowed_SpecialAddressForUnlistedHost_Refuses(string address)
    {
        var allowed = Policy.IsAddressAllowed(IPAddress.Parse(address), "example.internal");

        Assert.False(allowed);
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("100.128.0.1")]
    [InlineData("169.253.255.255")]
    [InlineData("11.0.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001::1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    public void IsAddressAllowed_PublicAddress_Allows(string address)
    {
        var allowed = Policy.IsAddressAllowed(IPAddress.Parse(address), "example.internal");

        Assert.True(allowed);
    }

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1", true)]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1", true)]
    [InlineData("::1", "[::1]", true)]
    [InlineData("::1", "::1", true)]
    [InlineData("10.0.0.5", "10.0.0.5", true)]
    [InlineData("127.0.0.1", "localhost", false)]
    [InlineData("::1", "localhost", false)]
    [InlineData("127.0.0.1", "LocalHost", false)]
    [InlineData("127.0.0.1", "example.internal", false)]
    [InlineData("127.0.0.1", "good.example.net", false)]
    [InlineData("127.0.0.2", "127.0.0.2", false)]
    [InlineData("10.0.0.6", "10.0.0.6", false)]
    [InlineData("169.254.169.254", "169.254.169.254", false)]
    [InlineData("127.0.0.1", "localhost.", false)]
    public void IsAddressAllowed_SpecialAddress_AllowedOnlyForAListedAddressLiteral(string address, string host, bool expected)
    {
        var allowed = Policy.IsAddressAllowed(IPAddress.Parse(address), host);

        Assert.Equal(expected, allowed);
    }

    private static readonly ImportSourcePolicy WithNetworks = new(new ImportOptions
    {
        AllowedSources = ["https://objects.example.com/", "http://169.254.169.254/"],
        AllowedSourceNetworks = ["10.20.0.0/16", "127.0.0.0/8", "fd12:3456::/32", "169.254.0.0/16", "fe80::/10", "0.0.0.0/0"],
    });

    [Theory]
    [InlineData("10.20.0.5", true)]
    [InlineData("10.20.255.255", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("::ffff:10.20.0.5", true)]
    [InlineData("fd12:3456::5", true)]
    [InlineData("10.21.0.5", true)]
    [InlineData("93.184.215.14", true)]
    [InlineData("fd12:3457::5", false)]
    [InlineData("::1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("169.254.0.1", false)]
    [InlineData("::ffff:169.254.169.254", false)]
    [InlineData("64:ff9b::a9fe:a9fe", false)]
    [InlineData("2002:a9fe:a9fe::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00:ec2::254", false)]
    [InlineData("100.100.100.200", false)]
    [InlineData("168.63.129.16", false)]
    public void IsAddressAllowed_NameResolvingIntoDeclaredNetworks_LinkLocalAndMetadataStillRefused(string address, bool expected)
    {
        var allowed = WithNetworks.IsAddressAllowed(IPAddress.Parse(address), "objects.example.com");

        Assert.Equal(expected, allowed);
    }

    [Fact]
    public void IsAddressAllowed_ListedMetadataLiteral_KeepsItsExemption()
    {
        Assert.True(WithNetworks.IsAddressAllowed(IPAddress.Parse("169.254.169.254"), "169.254.169.254"));
    }

    [Fact]
    public void IsAddressAllowed_NoAllowedSources_RefusesLoopback()
    {
        var policy = new ImportSourcePolicy(new ImportOptions());

        Assert.False(policy.IsAddressAllowed(IPAddress.Loopback, "localhost"));
        Assert.True(policy.IsAddressAllowed(IPAddress.Parse("8.8.8.8"), "dns.example.net"));
    }
}
