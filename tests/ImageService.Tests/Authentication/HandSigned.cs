using ImageService.Protocol;

namespace ImageService.Tests.Authentication;

// Requests signed by hand, over exactly the URL a test names, to probe what the server accepts.
public static class HandSigned
{
    public static HttpRequestMessage Request(
        HttpMethod method,
        string target,
        ScpCredentials credentials,
        string signedUrl,
        string timestamp,
        string accountId = "",
        string clientType = ScpHeaders.OpenapiClientType,
        string? secret = null)
    {
        var request = new HttpRequestMessage(method, target);
        var signature = ScpSignature.Compute(
            secret ?? credentials.SecretKey,
            ScpSignature.StringToSign(method.Method, signedUrl, timestamp, credentials.AccessKey, accountId, clientType));
        request.Headers.TryAddWithoutValidation(ScpHeaders.AccessKey, credentials.AccessKey);
        request.Headers.TryAddWithoutValidation(ScpHeaders.Timestamp, timestamp);
        request.Headers.TryAddWithoutValidation(ScpHeaders.Signature, signature);
        request.Headers.TryAddWithoutValidation(ScpHeaders.ClientType, clientType);
        request.Headers.TryAddWithoutValidation(ScpHeaders.AccountId, accountId);
        return request;
    }

    public static string Timestamp(this TimeProvider time, TimeSpan offset = default) =>
        (time.GetUtcNow() + offset).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
