using System.Net;
using ImageService.Api.Imports;
using ImageService.Api.Imports.Sources;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImageService.Tests.Imports.Sources;

public sealed class SourceConnectorTests(SourceServer server) : IClassFixture<SourceServer>
{
    [Fact]
    public async Task ConnectAsync_NameResolvingToLoopbackNotListed_RefusesAddress()
    {
        // Only the address is listed, so "localhost" resolving to it is not: the rule that defeats a
        // DNS name pointed (or rebound) at an internal address.
        var connector = CreateConnector(server.Origin);

        var failure = await Assert.ThrowsAsync<SourceFailureException>(
            async () => await connector.ConnectAsync(new DnsEndPoint("localhost", server.Port), TestContext.Current.CancellationToken));

        Assert.Equal("source_address_refused", failure.Failure.Code);
    }

    [Fact]
    public async Task ConnectAsync_LocalhostListedByName_RefusesLoopbackNoNetworkDeclares()
    {
        var connector = CreateConnector($"http://localhost:{server.Port}");

        var failure = await Assert.ThrowsAsync<SourceFailureException>(
            async () => await connector.ConnectAsync(new DnsEndPoint("localhost", server.Port), TestContext.Current.CancellationToken));

        Assert.Equal("source_address_refused", failure.Failure.Code);
    }

    [Fact]
    public async Task ConnectAsync_LocalhostListedByNameInDeclaredNetwork_Connects()
    {
        var connector = new SourceConnector(
            new ImportSourcePolicy(new ImportOptions { AllowedSources = [$"http://localhost:{server.Port}"], AllowedSourceNetworks = ["127.0.0.0/8", "::1/128"] }),
            NullLogger<SourceConnector>.Instance);

        await using var stream = await connector.ConnectAsync(new DnsEndPoint("localhost", server.Port), TestContext.Current.CancellationToken);

        Assert.True(stream.CanRead);
    }

    [Fact]
    public async Task ConnectAsync_AddressLiteralListed_ConnectsWithoutDns()
    {
        var connector = CreateConnector(server.Origin);

        await using var stream = await connector.ConnectAsync(new DnsEndPoint("127.0.0.1", server.Port), TestContext.Current.CancellationToken);

        Assert.True(stream.CanRead);
    }

    [Fact]
    public async Task ConnectAsync_UnresolvableName_ReturnsSourceUnreachable()
    {
        // RFC 6761 §6.4: .invalid never resolves.
        var connector = CreateConnector("http://no-such-host.invalid");

        var failure = await Assert.ThrowsAsync<SourceFailureException>(
            async () => await connector.ConnectAsync(new DnsEndPoint("no-such-host.invalid", 80), TestContext.Current.CancellationToken));

        Assert.Equal("source_unreachable", failure.Failure.Code);
    }

    private static SourceConnector CreateConnector(string allowedSource) =>
        new(new ImportSourcePolicy(new ImportOptions { AllowedSources = [allowedSource] }), NullLogger<SourceConnector>.Instance);
}
