using System.Security.Claims;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.ImageFiles;
using ImageService.Api.Images;
using ImageService.Api.Imports;
using ImageService.Api.Storage;
using ImageService.Api.Wire;
using ImageService.Protocol.Images;
using ImageService.Protocol.Imports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.FileProviders;

namespace ImageService.Api.WebConsole;

// The web console at /console (docs/console.md): Razor Pages in WebConsole/Pages, its assets, the
// progress poll and the browser's download. Every operation calls the API's own handler, so the
// visibility rule, the validation and the error texts are the API's.
internal static class ConsoleEndpoints
{
    public const string Path = "/console";
    public const string AssetsPath = Path + "/assets";

    public static IServiceCollection AddWebConsole(this IServiceCollection services)
    {
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddConsoleSession();
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/WebConsole/Pages";
            o.Conventions.AuthorizeFolder("/", ConsoleSession.Policy);
            o.Conventions.AllowAnonymousToPage("/SignIn");
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = ConsoleSession.CookieName + ".antiforgery";
            o.Cookie.Path = Path;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        return services;
    }

    // Before routing: the console's headers, and its assets from the assembly (nothing to deploy
    // beside the binary).
    public static IApplicationBuilder UseWebConsole(this IApplicationBuilder app)
    {
        app.UseWhen(c => c.Request.Path.StartsWithSegments(Path), console => console.UseMiddleware<ConsoleHeadersMiddleware>());
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = AssetsPath,
            FileProvider = new EmbeddedFileProvider(typeof(ConsoleEndpoints).Assembly, "ImageService.Api.WebConsole.Assets"),
        });
        return app;
    }

    public static RouteGroupBuilder MapWebConsole(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).ExcludeFromDescription();
        group.MapRazorPages();
        var images = group.MapGroup("/images/{image_id}").RequireAuthorization(ConsoleSession.Policy).WithMetadata(new ConsoleSession.NoSignInRedirect());
        images.MapGet("/progress", ShowConsoleProgress);
        images.MapGet("/file", DownloadConsoleFile);
        return group;
    }

    // What the image page's script polls: the image's status and its import's progress, from
    // showImage and showImageImport.
    internal static async Task<IResult> ShowConsoleProgress(
        string image_id, HttpContext http, ClaimsPrincipal caller, ImageDbContext db, CancellationToken ct)
    {
        var shown = (await ImagesApi.ShowImage(image_id, ConsoleCalls.Version(http), caller, db, ct)).Result;
        if (shown is not Ok<ImageShowResponse> { Value: { } image })
        {
            return shown;
        }

        var import = (await ImportApi.ShowImageImport(image_id, caller, db, ct)).Result as Ok<ImportStatusResponse>;
        return TypedResults.Ok(new ConsoleProgress(image.Status, import?.Value));
    }

    // The browser's download: downloadImageFile itself, with the session as the caller and a file
    // name to save as.
    internal static async Task<IResult> DownloadConsoleFile(
        string image_id, HttpRequest request, ClaimsPrincipal caller, ImageDbContext db, IImageFileStore store, CancellationToken ct)
    {
        var result = await ImageFileApi.DownloadImageFile(image_id, request, caller, db, store, ct);
        if (result is not ScpErrorResult && await db.FindReadableAsync(caller.GetAccountId(), image_id, ct) is { } image)
        {
            request.HttpContext.Response.Headers.ContentDisposition =
                new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue("attachment") { FileNameStar = image.Name + ".qcow2" }.ToString();
        }

        return result;
    }

    internal sealed record ConsoleProgress(string Status, ImportStatusResponse? Import);
}
