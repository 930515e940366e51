using System.Net;
using ImageService.Protocol;
using ImageService.Tests.Imports;
using ImageService.Tests.Providers;

namespace ImageService.Tests.Wire;

// Behind a load balancer that ends TLS, the client signs https://<public host>/…, and the node sees
// http://<its own address>/…. The node rebuilds the signed URL from X-Forwarded-Proto and the Host
// the balancer passes on, but only when ForwardedHeaders:TrustedProxies lists the balancer.
public sealed class TrustedProxyTests : IDisposable
{
    private const string PublicEndpoint = "https://images.example.com";
    private readonly string _data = Directory.CreateTempSubdirectory("imageservice-proxy-").FullName;
    private readonly TestBackend _backend;

    public TrustedProxyTests() => _backend = TestBackend.Create(_data);

    [Fact]
    public async Task SignedRequest_ThroughAProxyEndingTls_AuthenticatesOnlyWhenTheProxyIsTrusted()
    {
        var ct = TestContext.Current.CancellationToken;
        var environment = _backend.Environment();
        var key = await ServiceProcess.CreateKeyAsync(environment, "acct-proxy", ct);
        using var untrusted = await ServiceProcess.StartAsync(environment, ct);
        environment["ForwardedHeaders__TrustedProxies__0"] = "127.0.0.1";
        using var trusted = await ServiceProcess.StartAsync(environment, ct);

        var throughTrusted = await ListThroughProxyAsync(trusted, key, ct);
        var throughUntrusted = await ListThroughProxyAsync(untrusted, key, ct);

        Assert.Equal(HttpStatusCode.OK, throughTrusted);
        Assert.Equal(HttpStatusCode.Unauthorized, throughUntrusted);
    }

    public void Dispose()
    {
        _backend.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private static async Task<HttpStatusCode> ListThroughProxyAsync(ServiceProcess node, ScpCredentials key, CancellationToken ct)
    {
        using var client = new HttpClient(new ScpSigningHandler(key, "1.3") { InnerHandler = new Proxy(node.Endpoint) });
        using var response = await client.GetAsync(new Uri($"{PublicEndpoint}/v1/images"), ct);
        return response.StatusCode;
    }

    // What the balancer does with the signed request: sends it on over plain HTTP to the node,
    // keeps the Host, and says the client used https.
    private sealed class Proxy(Uri node) : DelegatingHandler(new HttpClientHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Host = request.RequestUri!.Host;
            request.Headers.Add("X-Forwarded-Proto", request.RequestUri.Scheme);
            request.RequestUri = new Uri(node, request.RequestUri.PathAndQuery);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
