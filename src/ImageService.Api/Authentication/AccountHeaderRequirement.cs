using ImageService.Protocol;
using Microsoft.AspNetCore.Authorization;

namespace ImageService.Api.Authentication;

// A non-empty Scp-AccountId must be the key's own account: 403, since the caller is who it says
// but asks to act somewhere it may not.
internal sealed class AccountHeaderRequirement : AuthorizationHandler<AccountHeaderRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccountHeaderRequirement requirement)
    {
        if (context.Resource is HttpContext http && context.User.Identity?.IsAuthenticated == true)
        {
            var header = http.Request.Headers[ScpHeaders.AccountId];
            var asked = header.Count == 0 ? "" : header[0] ?? "";
            if (asked.Length == 0 || string.Equals(asked, context.User.GetAccountId(), StringComparison.Ordinal))
            {
                context.Succeed(requirement);
            }
        }

        return Task.CompletedTask;
    }
}
