using System.Net;
using System.Net.Sockets;
using System.Text;
using ImageService.Api.Imports.Sources;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Imports.Sources;

public sealed class ObjectStorageClientTests(SourceServer server) : IClassFixture<SourceServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenAsync_ObjectUnderAllowedSource_StreamsBody()
    {
        await using var services = SourceServer.CreateServices([server.Origin + "/bucket/"]);
        var client = services.GetRequiredService<ObjectStorageClient>();

        await using var source = await client.OpenAsync(new Uri(server.Origin + "/bucket/image.qcow2"), Ct);

        Assert.True(source.IsOpen, source.Failure?.Detail);
        Assert.Equal(SourceServer.Body.Length, source.ContentLength);
        Assert.Equal(SourceServer.Body, await ReadAllAsync(source.Content));
        Assert.Equal(SourceServer.Body.Length, Assert.IsType<SourceContentStream>(source.Content).BytesRead);
    }

    [Fact]
    public async Task OpenAsync_MissingObject_ReturnsSourceNotFound()
    {
        await using var services = SourceServer.CreateServices([server.Origin]);
        var client = services.GetRequiredService<ObjectStorageClient>();

        await using var source = await client.OpenAsync(new Uri(server.Origin + "/bucket/missing.qcow2"), Ct);

        Assert.False(source.IsOpen);
        Assert.Equal("source_not_found", source.Failure.Code);
    }

    [Fact]
    public async Task OpenAsync_Forbidden_ReturnsSourceHttpErrorWithStatus()
    {
        await using var services = SourceServer.CreateServices([server.Origin]);
        var client = services.GetRequiredService<ObjectStorageClient>();

        await using var source = await client.OpenAsync(new Uri(server.Origin + "/bucket/forbidden.qcow2"), Ct);

        Assert.Equal("source_http_error", source.Failure?.Code);
        Assert.Contains("403", source.Failure?.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAsync_UrlOutsideAllowedSources_ReturnsPolicyRefusalWithoutConnecting()
    {
        await using var services = SourceServer.CreateServices([server.Origin + "/other/"]);
        var client = services.GetRequiredService<ObjectStorageClient>();

        await using var source = await client.OpenAsync(new Uri(server.Origin + "/bucket/image.qcow2"), Ct);

        Assert.Equal("url_source_not_allowed", source.Failure?.Code);
    }

    [Fact]
    public async Task OpenAsync_NumericHostFormOfAllowedAddress_RefusedFromOriginalString()
    {
        await using var services = SourceServer.CreateServices([server.Origin]);
        var client = services.GetRequiredService<ObjectStorageClient>();

        await using var source = await client.OpenAsync(new Uri($"http://2130706433:{server.Port}/bucket/image.qcow2"), Ct);

        Assert.Equal("url_host_not_canonical", source.Failure?.Code);
    }

    [Fact]
    public async Task OpenAsync_ThreeRedirects_FollowsToBody()
    {
        await using var services = SourceServer.CreateServices([server.Origin + "/bucket/"]);
        var client = services.GetRequiredService<ObjectStorageClient>();

        await using var source = await client.OpenAsync(new Uri(server.Origin + "/bucket/hops/3/image.qcow2"), Ct);

        Assert.True(source.IsOpen, source.Failure?.Detail);
        Assert.Equal(SourceServer.Body, await ReadAllAsync(source.Content));
    }

    [Fact]
    public async Task OpenAsync_FourRedirects_ReturnsTooManyRedirects()
    {
        await using var services = SourceServer.CreateServices([server.Origin + "/bucket/"]);
        var client = services.GetRequiredService<ObjectStorageClient>();

        await using var source = await client.OpenAsync(new Uri(server.Origin + "/bucket/hops/4/image.qcow2"), Ct);

        Assert.Equal("too_many_redirects", source.Failure?.Code);
    }

    [Fact]
    public async Task OpenAsync_RedirectToUnlistedHost_ReturnsRedirectRefused()
    {
        await using var services = SourceServer.CreateServices([server.Origin + "/bucket/"]);
        var client = services.GetRequiredService<ObjectStorageClient>();
        var url = server.Origin + "/bucket/redirect.qcow2?to=" + Uri.EscapeDataString("http://169.254.169.254/latest/x.qcow2");

        await using var source = await client.OpenAsync(new Uri(url), Ct);

        Assert.Equal("redirect_refused", source.Failure?.Code);
    }

    [Fact]
    public async Task OpenAsync_RedirectOutsidePathPrefix_ReturnsRedirectRefused()
    {
        await using var services = SourceServer.CreateServices([server.Origin + "/bucket/"]);
        var client = services.GetRequiredService<ObjectStorageClient>();
        var url = server.Origin + "/bucket/redirect.qcow2?to=" + Uri.EscapeDataString("/bucket/%2e%2e/secret/x.qcow2");

        await using var source = await client.OpenAsync(new Uri(url), Ct);

        Assert.Equal("redirect_refused", source.Failure?.Code);
    }

    [Fact]
    public async Task OpenAsync_LoopbackListedAsAddress_RedirectToLocalhostRefused()
    {
        await using var services = SourceServer.CreateServices([server.Origin]);
        var client = services.GetRequiredService<ObjectStorageClient>();
        var target = $"http://localhost:{server.Port}/bucket/image.qcow2";

        await using var direct = await client.OpenAsync(new Uri(server.Origin + "/bucket/image.qcow2"), Ct);
        await using var redirected = await client.OpenAsync(
            new Uri(server.Origin + "/bucket/redirect.qcow2?to=" + Uri.EscapeDataString(target)), Ct);

        Assert.True(direct.IsOpen, direct.Failure?.Detail);
        Assert.Equal("redirect_refused", redirected.Failure?.Code);
    }

    [Fact]
    public async Task OpenAsync_LocalhostListedByNameInDeclaredNetwork_ConnectsToLoopback()
    {
        var origin = $"http://localhost:{server.Port}";
        await using var services = SourceServer.CreateServices([origin], o => o.AllowedSourceNetworks.AddRange(["127.0.0.0/8", "::1/128"]));
        var client = services.GetRequiredService<ObjectStorageClient>();

        await using var source = await client.OpenAsync(new Uri(origin + "/bucket/image.qcow2"), Ct);

        Assert.True(source.IsOpen, source.Failure?.Detail);
        Assert.Equal(SourceServer.Body, await ReadAllAsync(source.Content));
    }

    [Fact]
    public async Task OpenAsync_SourceBusyOnce_RetriesInitialResponse()
    {
        await using var services = SourceServer.CreateServices([server.Origin]);
        var client = services.GetRequiredService<ObjectStorageClient>();

        await using var source = await client.OpenAsync(new Uri(server.Origin + $"/bucket/busy/{Guid.NewGuid():N}.qcow2"), Ct);

        Assert.True(source.IsOpen, source.Failure?.Detail);
    }

    [Fact]
    public async Task OpenAsync_ContentEncoded_ReturnsSourceContentEncoded()
    {
        await using var services = SourceServer.CreateServices([server.Origin]);
        var client = services.GetRequiredService<ObjectStorageClient>();

        await using var source = await client.OpenAsync(new Uri(server.Origin + "/bucket/gzip.qcow2"), Ct);

        Assert.Equal("source_content_encoded", source.Failure?.Code);
    }

    [Fact]
    public async Task OpenAsync_ContentLengthOverLimit_ReturnsSourceTooLarge()
    {
        await using var services = SourceServer.CreateServices([server.Origin], o => o.MaxImageBytes = 1000);
        var client = services.GetRequiredService<ObjectStorageClient>();

        await using var source = await client.OpenAsync(new Uri(server.Origin + "/bucket/image.qcow2"), Ct);

        Assert.Equal("source_too_large", source.Failure?.Code);
    }

    [Fact]
    public async Task Read_ChunkedBodyOverLimit_ThrowsSourceTooLarge()
    {
        await using var services = SourceServer.CreateServices([server.Origin], o => o.MaxImageBytes = 1000);
        var client = services.GetRequiredService<ObjectStorageClient>();
        await using var source = await client.OpenAsync(new Uri(server.Origin + "/bucket/chunked.qcow2"), Ct);
        Assert.True(source.IsOpen, source.Failure?.Detail);

        var failure = await Assert.ThrowsAsync<SourceFailureException>(() => ReadAllAsync(source.Content));

        Assert.Null(source.ContentLength);
        Assert.Equal("source_too_large", failure.Failure.Code);
    }

    [Fact]
    public async Task Read_ServerStallsAfterHeaders_ThrowsSourceTimeout()
    {
        await using var services = SourceServer.CreateServices([server.Origin], o => o.ReadIdleTimeout = TimeSpan.FromMilliseconds(300));
        var client = services.GetRequiredService<ObjectStorageClient>();
        await using var source = await client.OpenAsync(new Uri(server.Origin + "/bucket/stall-body.qcow2"), Ct);
        Assert.True(source.IsOpen, source.Failure?.Detail);

        var failure = await Assert.ThrowsAsync<SourceFailureException>(() => ReadAllAsync(source.Content));
        var again = await Assert.ThrowsAsync<SourceFailureException>(() => ReadAllAsync(source.Content));

        Assert.Equal("source_timeout", failure.Failure.Code);
        Assert.Equal(1000, Assert.IsType<SourceContentStream>(source.Content).BytesRead);
        Assert.Equal("source_timeout", again.Failure.Code);
    }

    [Fact]
    public async Task Read_ConnectionClosesMidBody_ThrowsSourceInterrupted()
    {
        // A raw socket, so that the close is an orderly FIN after the bytes: Kestrel's Abort sends a RST,
        // which may discard the headers before the client reads them.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var origin = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        var serving = ServeTruncatedAsync(listener);
        await using var services = SourceServer.CreateServices([origin]);
        var client = services.GetRequiredService<ObjectStorageClient>();
        await using var source = await client.OpenAsync(new Uri(origin + "/bucket/truncated.qcow2"), Ct);
        Assert.True(source.IsOpen, source.Failure?.Detail);

        var failure = await Assert.ThrowsAsync<SourceFailureException>(() => ReadAllAsync(source.Content));

        Assert.Equal("source_interrupted", failure.Failure.Code);
        Assert.Equal(1000, Assert.IsType<SourceContentStream>(source.Content).BytesRead);
        await serving;
    }

    [Fact]
    public async Task OpenAsync_ServerStallsBeforeHeaders_ReturnsSourceTimeout()
    {
        await using var services = SourceServer.CreateServices([server.Origin], o =>
        {
            o.ConnectTimeout = TimeSpan.FromMilliseconds(200);
            o.ReadIdleTimeout = TimeSpan.FromMilliseconds(200);
        });
        var client = services.GetRequiredService<ObjectStorageClient>();

        await using var source = await client.OpenAsync(new Uri(server.Origin + "/bucket/stall-headers.qcow2"), Ct);

        Assert.Equal("source_timeout", source.Failure?.Code);
    }

    [Fact]
    public async Task OpenAsync_NothingListening_ReturnsSourceUnreachable()
    {
        var port = GetClosedPort();
        var origin = $"http://127.0.0.1:{port}";
        await using var services = SourceServer.CreateServices([origin]);
        var client = services.GetRequiredService<ObjectStorageClient>();

        await using var source = await client.OpenAsync(new Uri(origin + "/bucket/image.qcow2"), Ct);

        Assert.Equal("source_unreachable", source.Failure?.Code);
    }

    [Fact]
    public async Task OpenAsync_CallerCancels_Throws()
    {
        await using var services = SourceServer.CreateServices([server.Origin]);
        var client = services.GetRequiredService<ObjectStorageClient>();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.OpenAsync(new Uri(server.Origin + "/bucket/image.qcow2"), cancellation.Token));
    }

    private static async Task<byte[]> ReadAllAsync(Stream content)
    {
        using var copy = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await content.ReadAsync(buffer, Ct)) > 0)
        {
            copy.Write(buffer, 0, read);
        }

        return copy.ToArray();
    }

    private static async Task ServeTruncatedAsync(TcpListener listener)
    {
        using var socket = await listener.AcceptSocketAsync(Ct);
        var request = new List<byte>();
        var buffer = new byte[4096];
        while (!Encoding.ASCII.GetString([.. request]).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, Ct);
            Assert.NotEqual(0, read);
            request.AddRange(buffer.AsSpan(0, read));
        }

        await socket.SendAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {SourceServer.Body.Length}\r\n\r\n"), Ct);
        await socket.SendAsync(SourceServer.Body.AsMemory(0, 1000), Ct);
        socket.Shutdown(SocketShutdown.Both);
    }

    private static int GetClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
