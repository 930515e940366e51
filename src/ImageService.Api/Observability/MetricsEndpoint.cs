using ImageService.Api.Wire;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Observability;

// GET /metrics, the Prometheus exposition of every instrument (an extension beyond the SCP API).
internal static class MetricsEndpoint
{
    private static readonly string[] ManagementPaths = [MetricsOptions.Path, "/healthz", "/readyz"];

    // On the management port nothing but metrics and health answers: it is meant for monitoring
    // networks, and must not become a second, unwatched way into the API.
    public static IApplicationBuilder UseManagementPort(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (options is { Enabled: true, Port: { } port })
        {
            app.Use((context, next) =>
                context.Connection.LocalPort == port && !ManagementPaths.Contains(context.Request.Path.Value, StringComparer.Ordinal)
                    ? ScpErrors.Of(StatusCodes.Status404NotFound, "not_found", "The management port serves only /metrics, /healthz and /readyz.")
                        .ExecuteAsync(context)
                    : next(context));
        }

        return app;
    }

    public static IEndpointRouteBuilder MapImageServiceMetrics(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (options.Enabled)
        {
            app.MapPrometheusScrapingEndpoint(MetricsOptions.Path, meterProvider: null, branch => branch.Use((context, next) =>
                    Allowed(context, options) ? next(context) : Refuse(context)), optionsName: null)
                .WithName("getMetrics")
                .ExcludeFromDescription();
        }

        return app;
    }

    private static bool Allowed(HttpContext context, MetricsOptions options) =>
        (options.Port is not { } port || context.Connection.LocalPort == port) && options.Allows(context.Connection.RemoteIpAddress);

    private static Task Refuse(HttpContext context) =>
        ScpErrors.Forbidden("metrics_forbidden", "Metrics are served only to the monitoring networks this service is configured for.")
            .ExecuteAsync(context);
}
