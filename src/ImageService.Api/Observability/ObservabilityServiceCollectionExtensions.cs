using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Polly.Telemetry;

namespace ImageService.Api.Observability;

internal static class ObservabilityServiceCollectionExtensions
{
    public static IServiceCollection AddImageServiceObservability(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ImportMetrics>();
        services.AddSingleton<DownloadMetrics>();
        services.AddSingleton<SignatureMetrics>();
        services.AddSingleton<QuotaMetrics>();

        // Every import attempt logged at Information is noise; a failed attempt is still reported as
        // the retry it causes (Polly's "OnRetry", a warning), and Debug shows every attempt.
        services.Configure<TelemetryOptions>(o => o.SeverityProvider = args =>
            args.Event.EventName == "ExecutionAttempt" ? ResilienceEventSeverity.Debug : args.Event.Severity);

        // Metrics:Enabled=false leaves the instruments without a listener, which costs nothing.
        if (configuration.GetValue($"{MetricsOptions.Section}:{nameof(MetricsOptions.Enabled)}", true))
        {
            // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override the name, as the SDK documents.
            services.AddOpenTelemetry().ConfigureResource(r => r.AddService("imageservice")).WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddMeter(ImageServiceMeter.Name).AddPrometheusExporter();

                // The OTLP exporter reads its endpoint, protocol and headers from the standard
                // OTEL_EXPORTER_OTLP_* variables itself.
                if (!string.IsNullOrEmpty(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
                {
                    metrics.AddOtlpExporter();
                }
            });
        }

        return services;
    }

    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app) => app.UseMiddleware<RequestLogMiddleware>();
}
