using System.Globalization;
using System.Security.Claims;
using ImageService.Api.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace ImageService.Api.WebConsole;

// The console's browser session: an encrypted cookie (the Data Protection key ring every node
// shares, so any node accepts it) holding the account's claims and the access key's id, never its
// secret. It authenticates /console and nothing else: the API's default policy names only the
// signature scheme, and the cookie's path is /console.
internal static class ConsoleSession
{
    public const string Scheme = "Console";
    public const string Policy = "Console";
    public const string CookieName = "imageservice.console";

    private const string SignedInAtClaim = "console:signed_in_at";

    public static IServiceCollection AddConsoleSession(this IServiceCollection services)
    {
        services.AddAuthentication().AddCookie(Scheme);
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IOptions<ConsoleOptions>, TimeProvider>((o, console, time) =>
        {
            o.TimeProvider = time;
            o.Cookie.Name = CookieName;
            o.Cookie.Path = ConsoleEndpoints.Path;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = console.Value.IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = ConsoleEndpoints.Path + "/sign-in";
            o.AccessDeniedPath = ConsoleEndpoints.Path + "/sign-in";
            o.ReturnUrlParameter = "returnUrl";
            o.Events.OnValidatePrincipal = ValidateAsync;
            o.Events.OnRedirectToLogin = RedirectToSignIn;
        });
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return services;
    }

    public static ClaimsPrincipal Principal(string accessKey, AccessKeyStore.CachedKey key, DateTimeOffset now) =>
        new(new ClaimsIdentity(
            [
                new Claim(ScpClaims.AccountId, key.AccountId),
                new Claim(ScpClaims.AccountName, key.AccountName),
                new Claim(ScpClaims.UserName, key.UserName),
                new Claim(ScpClaims.AccessKey, accessKey),
                new Claim(SignedInAtClaim, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            ],
            Scheme));

    // Every request re-checks the key through the store's cache, so a revoked key ends its sessions
    // within Authentication:CacheDuration; the absolute limit counts from sign-in, which sliding
    // renewals do not move.
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var limit = services.GetRequiredService<IOptionsMonitor<ConsoleOptions>>().CurrentValue.AbsoluteTimeout;
        var principal = context.Principal;
        var accessKey = principal?.FindFirstValue(ScpClaims.AccessKey);
        var signedInAt = long.TryParse(principal?.FindFirstValue(SignedInAtClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        var valid = accessKey is not null && signedInAt is { } at && now - at <= limit &&
                    await services.GetRequiredService<AccessKeyStore>().FindActiveAsync(accessKey, context.HttpContext.RequestAborted) is not null;
        if (!valid)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    // A page goes to the sign-in form; the progress poll and the download answer 401, since a
    // script or a download cannot follow a redirect to a form.
    private static Task RedirectToSignIn(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<NoSignInRedirect>() is not null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    // Endpoint metadata: answer an unauthenticated request with 401 rather than a redirect.
    public sealed class NoSignInRedirect;
}
