namespace ImageService.Api.WebConsole;

// The console's own response headers, on /console only: the SCP API's responses stay as they were.
// The policy allows scripts, styles and fetches from this origin alone, so no inline script or
// style runs, and no other site may frame a console page.
internal sealed class ConsoleHeadersMiddleware(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (!context.Request.Path.StartsWithSegments(ConsoleEndpoints.AssetsPath))
        {
            // Pages show an account's images; no cache may keep them. Set as the response starts, and
            // only when nothing else did: pages with a form get anti-forgery's own no-cache headers.
            context.Response.OnStarting(static state =>
            {
                var response = (HttpResponse)state;
                if (string.IsNullOrEmpty(response.Headers.CacheControl))
                {
                    response.Headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            }, context.Response);
        }

        return next(context);
    }
}
