using System.Security.Cryptography;
using System.Text;
using ImageService.Api.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ImageService.Api.WebConsole.Pages;

// Checks an access key and its secret against the key store and starts a session. The secret is
// only compared: it is never kept, logged or written back into the page.
internal sealed class SignInModel(AccessKeyStore keys, SignInThrottle throttle, TimeProvider time) : PageModel
{
    public string? AccessKey { get; private set; }

    public string? ReturnUrl { get; private set; }

    public string? Error { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? accessKey, string? secretKey, string? returnUrl, CancellationToken ct)
    {
        AccessKey = accessKey is { Length: <= AccountIds.MaxLength } ? accessKey : null;
        ReturnUrl = returnUrl;
        var address = HttpContext.Connection.RemoteIpAddress;
        if (throttle.IsRefused(address))
        {
            Error = $"Too many failed sign-ins from your address; wait {throttle.Window.TotalMinutes:0.#} minute(s) and try again.";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)Math.Ceiling(throttle.Window.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Page();
        }

        var key = AccessKey is { Length: > 0 } && !string.IsNullOrEmpty(secretKey) ? await keys.FindActiveAsync(AccessKey, ct) : null;
        if (key is null || !SameSecret(key.Secret, secretKey!))
        {
            throttle.RecordFailure(address);
            Error = "The access key or secret is not valid, or the key was revoked.";
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(ConsoleSession.Scheme, ConsoleSession.Principal(AccessKey!, key, time.GetUtcNow()),
            new AuthenticationProperties { IsPersistent = false });
        return LocalRedirect(IsConsolePath(returnUrl) ? returnUrl! : ConsoleEndpoints.Path);
    }

    // Hashing first makes the comparison constant-time whatever the lengths.
    private static bool SameSecret(byte[] secret, string given) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(secret), SHA256.HashData(Encoding.UTF8.GetBytes(given)));

    // Only back into the console, and never to another host ("//evil", "/\evil").
    private static bool IsConsolePath(string? url) =>
        url is { Length: > 0 and < 2048 } && url.StartsWith(ConsoleEndpoints.Path, StringComparison.Ordinal) &&
        (url.Length == ConsoleEndpoints.Path.Length || url[ConsoleEndpoints.Path.Length] is '/' or '?') && !url.Contains('\\', StringComparison.Ordinal);
}
