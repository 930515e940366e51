using System.Security.Cryptography;
using System.Text;

namespace ImageService.Protocol;

/// <summary>The SCP request signature: HMAC-SHA256 over method, URL, timestamp, access key, account and client type.</summary>
public static class ScpSignature
{
    private const int HashLength = 32;

    /// <summary>Builds the string to sign: the plain concatenation of its parts, with no separators.</summary>
    public static string StringToSign(string method, string url, string timestamp, string accessKey, string accountId, string clientType) =>
        string.Concat(method.ToUpperInvariant(), url, timestamp, accessKey, accountId, clientType);

    /// <summary>Computes the base64 signature of <paramref name="stringToSign"/> with <paramref name="secretKey"/>.</summary>
    public static string Compute(string secretKey, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>Checks a presented base64 signature in constant time.</summary>
    public static bool Verify(ReadOnlySpan<byte> secretKey, string stringToSign, string presentedSignature)
    {
        Span<byte> presented = stackalloc byte[HashLength + 3];
        if (presentedSignature.Length > 64 ||
            !Convert.TryFromBase64String(presentedSignature, presented, out var written) ||
            written != HashLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HashLength];
        var maxBytes = Encoding.UTF8.GetMaxByteCount(stringToSign.Length);
        var rented = maxBytes <= 1024 ? null : System.Buffers.ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            Span<byte> message = rented ?? stackalloc byte[maxBytes];
            var length = Encoding.UTF8.GetBytes(stringToSign, message);
            HMACSHA256.HashData(secretKey, message[..length], expected);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return CryptographicOperations.FixedTimeEquals(expected, presented[..HashLength]);
    }

    /// <summary>The current time as an SCP timestamp: milliseconds since the Unix epoch.</summary>
    public static string Timestamp(TimeProvider time) =>
        time.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
}
