using ImageService.Protocol.Versions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImageService.Api.Versioning;

internal static class VersioningExtensions
{
    public static IServiceCollection AddVersionLifecycle(this IServiceCollection services)
    {
        services.AddOptions<VersionLifecycleOptions>().BindConfiguration(VersionLifecycleOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<VersionLifecycle>();
        return services;
    }

    public static IApplicationBuilder UseVersioning(this IApplicationBuilder app) => app.UseMiddleware<VersioningMiddleware>();

    public static TBuilder WithVersions<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(VersionedEndpointMetadata.Instance);

    // The public SDK fetches this, unauthenticated, before every call and needs its version listed.
    public static IEndpointRouteBuilder MapVersionsDocument(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", ListVersions).WithName("listVersions").WithSummary("The API versions this service answers.").AllowAnonymous();
        return app;
    }

    private static Ok<VersionsDocument> ListVersions(HttpRequest request, VersionLifecycle lifecycle, TimeProvider time)
    {
        var href = $"{request.Scheme}://{request.Host}";
        var entries = lifecycle.Answered(time.GetUtcNow())
            .Select(v => new VersionEntry(
                v.Version.Id,
                [new VersionLink(href, "self")],
                v.NotBefore?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "",
                v.Status))
            .ToArray();
        return TypedResults.Ok(new VersionsDocument(entries));
    }
}
