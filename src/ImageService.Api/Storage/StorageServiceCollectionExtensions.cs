namespace ImageService.Api.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddImageStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IImageFileStore, FileSystemImageStore>();
        return services;
    }
}
