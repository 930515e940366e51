using System.Globalization;

namespace ImageService.Protocol;

/// <summary>
/// Signs every outgoing request the way the official SCP SDK does, and asks for an API version.
/// </summary>
/// <param name="credentials">The key to sign with.</param>
/// <param name="apiVersion">The version to ask for, as <c>X.Y</c>; null sends no version header.</param>
/// <param name="time">The clock for <c>Scp-Timestamp</c>.</param>
public sealed class ScpSigningHandler(ScpCredentials credentials, string? apiVersion, TimeProvider time) : DelegatingHandler
{
    /// <summary>Signs with the system clock.</summary>
    public ScpSigningHandler(ScpCredentials credentials, string? apiVersion = null)
        : this(credentials, apiVersion, TimeProvider.System)
    {
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Sign(request, credentials, apiVersion, time);
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>Adds the signature headers to one request, signing its absolute URL as it goes on the wire.</summary>
    public static void Sign(HttpRequestMessage request, ScpCredentials credentials, string? apiVersion, TimeProvider time)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        var url = uri.GetLeftPart(UriPartial.Authority) + uri.PathAndQuery;
        var timestamp = ScpSignature.Timestamp(time);
        var method = request.Method.Method.ToUpperInvariant();
        var toSign = ScpSignature.StringToSign(method, url, timestamp, credentials.AccessKey, credentials.AccountId, ScpHeaders.OpenapiClientType);

        var headers = request.Headers;
        foreach (var name in new[] { ScpHeaders.AccessKey, ScpHeaders.Timestamp, ScpHeaders.Signature, ScpHeaders.ClientType, ScpHeaders.AccountId })
        {
            headers.Remove(name);
        }

        headers.TryAddWithoutValidation(ScpHeaders.AccessKey, credentials.AccessKey);
        headers.TryAddWithoutValidation(ScpHeaders.Timestamp, timestamp);
        headers.TryAddWithoutValidation(ScpHeaders.Signature, ScpSignature.Compute(credentials.SecretKey, toSign));
        headers.TryAddWithoutValidation(ScpHeaders.ClientType, ScpHeaders.OpenapiClientType);
        headers.TryAddWithoutValidation(ScpHeaders.AccountId, credentials.AccountId);
        if (apiVersion is not null && !headers.Contains(ScpHeaders.ApiVersion))
        {
            headers.TryAddWithoutValidation(ScpHeaders.ApiVersion, string.Create(CultureInfo.InvariantCulture, $"{ScpHeaders.ServiceName} {apiVersion}"));
        }
    }
}
