using ImageService.Api.Imports.Sources;

namespace ImageService.Api.Imports;

internal static class ImportServiceCollectionExtensions
{
    public static IServiceCollection AddImageImports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddObjectStorageClient();
        services.AddSingleton<ImportSourcePolicy>();
        services.AddSingleton<ImportSignal>();
        services.AddSingleton<ImportCancellations>();
        services.AddSingleton<ImportTakeover>();
        services.AddSingleton<ImportRunner>();
        services.AddSingleton<ImportSweeper>();
        services.AddScoped<ImportJobs>();

        // Import:RunWorker=false makes an API-only node: it queues imports, others copy them.
        if (configuration.GetValue($"{ImportOptions.Section}:RunWorker", true))
        {
            services.AddHostedService<ImportWorker>();
        }

        return services;
    }
}
