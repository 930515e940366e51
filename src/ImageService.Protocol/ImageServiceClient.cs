using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ImageService.Protocol;

/// <summary>
/// A typed client for the image API: one method per operation, named after its <c>operationId</c>.
/// Each answer comes back as the service's JSON text and as a record (see <see cref="ScpResponse{T}"/>);
/// an error status throws <see cref="ScpApiException"/> carrying the error envelope.
/// </summary>
/// <remarks>
/// The client neither signs nor picks a version itself: give it an <see cref="HttpClient"/> whose
/// <see cref="HttpClient.BaseAddress"/> is the service endpoint and whose handler chain includes
/// <see cref="ScpSigningHandler"/>, so that the server, the CLI and the tests share one signature.
/// Typed values are read into the widest shape of their operation (for example
/// <see cref="Images.ImageShowResponseV1Dot2"/>); fields the answering version lacks are null.
/// </remarks>
public sealed partial class ImageServiceClient
{
    /// <summary>The version to ask for when the caller names none: the CURRENT one.</summary>
    public const string DefaultApiVersion = "1.3";

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    /// <summary>Creates a client over a signing <see cref="HttpClient"/>; the client does not dispose it.</summary>
    /// <param name="http">The HTTP client; its <see cref="HttpClient.BaseAddress"/> is the service endpoint.</param>
    /// <exception cref="ArgumentException">The HTTP client has no base address.</exception>
    public ImageServiceClient(HttpClient http)
    {
        _http = http;
        var endpoint = http.BaseAddress ?? throw new ArgumentException("The HttpClient needs a BaseAddress: the service endpoint.", nameof(http));

        // Operation paths are resolved relative to the endpoint, so an endpoint with a path prefix keeps it.
        _endpoint = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
    }

    /// <summary>The endpoint operation paths are resolved against.</summary>
    public Uri Endpoint => _endpoint;

    private static string Segment(string value) => Uri.EscapeDataString(value);

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var given = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToArray();
        return given.Length == 0 ? "" : "?" + string.Join('&', given);
    }

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private HttpRequestMessage Request(HttpMethod method, string path, object? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(_endpoint, path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            // As the SDK sends it: application/json with no charset, and a final newline.
            var json = JsonSerializer.Serialize(body, body.GetType(), ScpJson.Options) + "\n";
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
            request.Content.Headers.ContentType = JsonMediaType;
        }

        return request;
    }

    private async Task<ScpResponse<T>> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            var json = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw ScpApiException.FromResponse(response.StatusCode, json);
            }

            var value = JsonSerializer.Deserialize<T>(json, ScpJson.Options)
                ?? throw new JsonException($"The service answered {(int)response.StatusCode} with an empty body.");
            return new ScpResponse<T>(value, json);
        }
    }

    private async Task SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await _http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                throw ScpApiException.FromResponse(response.StatusCode, body);
            }
        }
    }
}
