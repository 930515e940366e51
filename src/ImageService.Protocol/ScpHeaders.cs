namespace ImageService.Protocol;

/// <summary>Header names and fixed values of the SCP request-signing scheme and API versioning.</summary>
public static class ScpHeaders
{
    /// <summary>The caller's access key id (SCP pages spell it <c>Scp-Accesskey</c>; names are case-insensitive).</summary>
    public const string AccessKey = "Scp-AccessKey";

    /// <summary>Milliseconds since the Unix epoch, as a decimal string.</summary>
    public const string Timestamp = "Scp-Timestamp";

    /// <summary>Base64 of HMAC-SHA256(secret, string-to-sign).</summary>
    public const string Signature = "Scp-Signature";

    /// <summary>The client type, <c>Openapi</c> for the SDKs and CLI.</summary>
    public const string ClientType = "Scp-ClientType";

    /// <summary>The account the caller acts in; may be empty.</summary>
    public const string AccountId = "Scp-AccountId";

    /// <summary>The API version header, for example <c>virtualserver 1.3</c>.</summary>
    public const string ApiVersion = "Scp-API-Version";

    /// <summary>An optional token the SDK sends beside the signature; it never authenticates on its own.</summary>
    public const string AuthToken = "X-Auth-Token";

    /// <summary>
    /// The request's correlation id (an extension): the service answers with it, honours a client's
    /// own when it is 1 to 128 letters, digits or <c>-_.:</c>, and quotes it in 500 envelopes.
    /// </summary>
    public const string RequestId = "X-Request-Id";

    /// <summary>
    /// The checksum the caller expects of an image's data (an extension, on createImage, importImage and
    /// uploads): <c>md5:</c>, <c>sha256:</c> or <c>sha512:</c> and the digest in hex. See <see cref="Images.ImageChecksum"/>.
    /// </summary>
    public const string ImageChecksum = "X-Image-Checksum";

    /// <summary>The size in bytes the caller expects of an image's data (an extension, beside <see cref="ImageChecksum"/>).</summary>
    public const string ImageSize = "X-Image-Size";

    /// <summary>The client type the official SDKs send.</summary>
    public const string OpenapiClientType = "Openapi";

    /// <summary>The service name that prefixes every version in <see cref="ApiVersion"/>.</summary>
    public const string ServiceName = "virtualserver";
}
