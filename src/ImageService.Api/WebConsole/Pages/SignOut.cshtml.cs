using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ImageService.Api.WebConsole.Pages;

// Sign-out is a form post (anti-forgery checked), so no link on another site can end a session.
internal sealed class SignOutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect(ConsoleEndpoints.Path);

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(ConsoleSession.Scheme);
        return LocalRedirect(ConsoleEndpoints.Path + "/sign-in");
    }
}
