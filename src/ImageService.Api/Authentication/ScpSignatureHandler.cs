using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using ImageService.Api.Observability;
using ImageService.Api.Wire;
using ImageService.Protocol;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Authentication;

// Authenticates a request by its SCP signature (docs/signing.md). X-Auth-Token is never a
// credential here: the SDK sends it beside the signature, and it is ignored.
internal sealed class ScpSignatureHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AccessKeyStore keys,
    IOptionsMonitor<AccessKeyOptions> keyOptions,
    SignatureMetrics metrics,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ScpSignature";

    // Why authentication failed, for the metrics; counted only when the request is refused for it,
    // so anonymous endpoints (health, versions, metrics) count nothing.
    private const string FailureItem = "scp:signature-failure";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var headers = Request.Headers;
        var accessKey = Single(headers[ScpHeaders.AccessKey]);
        var timestamp = Single(headers[ScpHeaders.Timestamp]);
        var signature = Single(headers[ScpHeaders.Signature]);
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return Fail(SignatureMetrics.Unsigned);
        }

        var accountId = Single(headers[ScpHeaders.AccountId]) ?? "";
        var clientType = Single(headers[ScpHeaders.ClientType]) ?? "";
        if (accessKey.Length > AccountIds.MaxLength || !IsTimestamp(timestamp, out var millis))
        {
            return Fail(SignatureMetrics.Malformed);
        }

        if (!IsFresh(millis))
        {
            return Fail(SignatureMetrics.Expired);
        }

        var key = await keys.FindActiveAsync(accessKey, Context.RequestAborted);
        if (key is null)
        {
            return Fail(SignatureMetrics.UnknownKey);
        }

        if (!SignatureMatches(key.Secret, accessKey, timestamp, accountId, clientType, signature))
        {
            return Fail(SignatureMetrics.Mismatch);
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ScpClaims.AccountId, key.AccountId),
                new Claim(ScpClaims.AccountName, key.AccountName),
                new Claim(ScpClaims.UserName, key.UserName),
                new Claim(ScpClaims.AccessKey, accessKey),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        // One answer for every failed check: saying which part failed would help only an attacker.
        var reason = Context.Items[FailureItem] as string;
        metrics.Failed(reason ?? SignatureMetrics.Unsigned);
        var detail = reason is null or SignatureMetrics.Unsigned
            ? $"The request is not signed: send {ScpHeaders.AccessKey}, {ScpHeaders.Timestamp} and {ScpHeaders.Signature}."
            : "The request signature is invalid or expired, or the access key is not valid.";
        return ScpErrors.Of(StatusCodes.Status401Unauthorized, "unauthorized", detail).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ScpErrors.Forbidden("account_mismatch", $"The {ScpHeaders.AccountId} header names an account this access key does not belong to.")
            .ExecuteAsync(Context);

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailureItem] = reason;
        return AuthenticateResult.Fail(reason);
    }

    private static bool IsTimestamp(string timestamp, out long millis)
    {
        millis = 0;
        return timestamp.Length <= 16 && long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out millis);
    }

    private bool IsFresh(long millis)
    {
        var skew = keyOptions.CurrentValue.TimestampSkew.TotalMilliseconds;
        return Math.Abs(time.GetUtcNow().ToUnixTimeMilliseconds() - millis) <= skew;
    }

    // The SDK signs the URL as it sent it; the server accepts that absolute form or the raw
    // path-and-query alone, rebuilt from the raw request target (never the decoded Path).
    private bool SignatureMatches(byte[] secret, string accessKey, string timestamp, string accountId, string clientType, string signature)
    {
        var raw = Context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw))
        {
            raw = Request.PathBase + Request.Path + Request.QueryString;
        }

        var method = Request.Method;
        if (raw.StartsWith('/'))
        {
            var absolute = string.Concat(Request.Scheme, "://", Request.Host.Value, raw);
            return Verify(absolute) || Verify(raw);
        }

        return Uri.TryCreate(raw, UriKind.Absolute, out var uri) && (Verify(raw) || Verify(uri.PathAndQuery));

        bool Verify(string url) =>
            ScpSignature.Verify(secret, ScpSignature.StringToSign(method, url, timestamp, accessKey, accountId, clientType), signature);
    }

    private static string? Single(Microsoft.Extensions.Primitives.StringValues values) => values.Count == 1 ? values[0] : null;
}
