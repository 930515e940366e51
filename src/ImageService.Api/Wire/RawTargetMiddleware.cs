namespace ImageService.Api.Wire;

// An SDK whose endpoint ends in '/' sends '//v1/images' and signs exactly that (docs/signing.md).
// The signature is checked against the raw target, which this leaves untouched; routing sees the
// path with its leading slashes collapsed to one.
internal sealed class RawTargetMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        if (path is { Length: > 1 } && path[1] == '/')
        {
            context.Request.Path = new PathString("/" + path.TrimStart('/'));
        }

        return next(context);
    }
}
