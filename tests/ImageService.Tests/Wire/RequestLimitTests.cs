using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ImageService.Tests.Wire;

// Kestrel answers requests over its own limits, or that HTTP/1.1 cannot parse, before the
// application sees them and with an empty body. Its limits sit above the service's, so the service
// answers a long target or too many headers itself, in the envelope; docs/api.md lists the rest.
// Real Kestrel on loopback: the test server has none of these limits.
public sealed class RequestLimitTests : IDisposable
{
    private readonly ImageServiceApp _app = ImageServiceApp.Create();
    private readonly Uri _address;

    public RequestLimitTests() => _address = _app.StartKestrel();

    [Theory]
    [InlineData("a target over 8 KiB", 414, "uri_too_long")]
    [InlineData("headers over 32 KiB", 431, "request_headers_too_large")]
    [InlineData("over 100 header fields", 431, "request_headers_too_large")]
    public async Task AnyRequest_OverTheServicesLimits_AnswersInTheEnvelope(string over, int status, string code)
    {
        var request = over switch
        {
            "a target over 8 KiB" => $"GET /v1/images?name={new string('a', 9000)} HTTP/1.1\r\nHost: localhost\r\n",
            "headers over 32 KiB" => $"GET /v1/images HTTP/1.1\r\nHost: localhost\r\nX-Padding: {new string('a', 40_000)}\r\n",
            _ => $"GET /v1/images HTTP/1.1\r\nHost: localhost\r\n{string.Concat(Enumerable.Range(0, 120).Select(i => $"X-Field-{i}: a\r\n"))}",
        };

        var response = await SendAsync(request + "Connection: close\r\n\r\n");

        AssertEnvelope(response, status, code);
    }

    [Fact]
    public async Task AnyRequest_AtTheLimits_ReachesTheApplication()
    {
        var response = await SendAsync($"GET /v1/images?name={new string('a', 8000)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        AssertEnvelope(response, 401, "unauthorized");
    }

    // What docs/api.md says the server answers alone: the status, and no body.
    [Theory]
    [InlineData("GET /v1/images/%00 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 400)]
    [InlineData("GET /v1/ima ges HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 400)]
    [InlineData("GET /v1/images HTTP/1.1\r\nConnection: close\r\n\r\n", 400)]
    [InlineData("GET /v1/images HTTP/1.2\r\nHost: localhost\r\nConnection: close\r\n\r\n", 505)]
    [InlineData("POST /v1/images HTTP/1.1\r\nHost: localhost\r\nContent-Length: -5\r\nConnection: close\r\n\r\n", 400)]
    public async Task AnyRequest_HttpCannotParseIt_ServerAnswersAloneWithoutABody(string request, int status)
    {
        var response = await SendAsync(request);

        Assert.Equal(status, response.Status);
        Assert.Empty(response.Body);
    }

    [Fact]
    public async Task AnyRequest_RequestLineOver64KiB_ServerAnswers414AloneWithoutABody()
    {
        var response = await SendAsync($"GET /v1/images?name={new string('a', 70_000)} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        Assert.Equal(414, response.Status);
        Assert.Empty(response.Body);
    }

    public void Dispose() => _app.Dispose();

    private static void AssertEnvelope(RawResponse response, int status, string code)
    {
        Assert.Equal(status, response.Status);
        var error = JsonNode.Parse(response.Body)!["errors"]!.AsArray().Single()!;
        Assert.Equal(status, error["status"]!.GetValue<int>());
        Assert.Equal(code, error["code"]!.GetValue<string>());
    }

    // Raw bytes over a socket: HttpClient would refuse to send most of these requests.
    private async Task<RawResponse> SendAsync(string request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(_address.Host, _address.Port, TestContext.Current.CancellationToken);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var text = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        var head = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        var body = text[(head.Length + 4)..];
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Unchunk(body);
        }

        return new RawResponse(int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), body);
    }

    private static string Unchunk(string chunked)
    {
        var body = new StringBuilder();
        var at = 0;
        while (true)
        {
            var end = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[at..end], 16);
            if (size == 0)
            {
                return body.ToString();
            }

            body.Append(chunked, end + 2, size);
            at = end + 2 + size + 2;
        }
    }

    private sealed record RawResponse(int Status, string Body);
}
