using System.Net;
using System.Text.RegularExpressions;
using ImageService.Protocol;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ImageService.Tests.WebConsole;

// The console through the real pipeline without a browser: an HttpClient that keeps cookies and
// does not follow redirects, and the sign-in form as a browser posts it.
internal static partial class ConsoleHttp
{
    public static HttpClient Browser(ImageServiceApp app, string baseAddress = "http://localhost") =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri(baseAddress) });

    // Its anti-forgery token from the page, the key and the secret.
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, ScpCredentials account, string? returnUrl = null)
    {
        var form = await browser.GetStringAsync("/console/sign-in", TestContext.Current.CancellationToken);
        var token = AntiforgeryToken().Match(form).Groups[1].Value;
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["accessKey"] = account.AccessKey,
            ["secretKey"] = account.SecretKey,
        };
        if (returnUrl is not null)
        {
            fields["returnUrl"] = returnUrl;
        }

        return await browser.PostAsync("/console/sign-in", new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);
    }

    // The target of the link with this text.
    public static string Href(string html, string text) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"<a href=\"([^\"]+)\">{Regex.Escape(text)}</a>").Groups[1].Value);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
