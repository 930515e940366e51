using System.Security.Claims;

namespace ImageService.Api.Authentication;

internal static class ScpClaims
{
    public const string AccountId = "scp:account_id";
    public const string AccountName = "scp:account_name";
    public const string UserName = "scp:user_name";
    public const string AccessKey = "scp:access_key";

    public static string GetAccountId(this ClaimsPrincipal caller) =>
        caller.FindFirstValue(AccountId) ?? throw new InvalidOperationException("The caller is not authenticated.");

    public static string? GetAccountName(this ClaimsPrincipal caller) => caller.FindFirstValue(AccountName);

    public static string? GetUserName(this ClaimsPrincipal caller) => caller.FindFirstValue(UserName);
}
