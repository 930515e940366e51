using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using ImageService.Api.Health;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Storage;

internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddImageStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (!StorageOptions.IsS3In(configuration))
        {
            services.AddSingleton<IImageFileStore, FileSystemImageStore>();
            return services;
        }

        return services.AddS3Storage();
    }

    // Out of line and never inlined: compiling AddImageStorage with these lines in it loaded the AWS
    // SDK's assemblies (about 2.2 MiB of code resident) on a node that stores files.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IServiceCollection AddS3Storage(this IServiceCollection services)
    {
        services.AddSingleton<IAmazonS3>(sp => CreateClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value.S3));
        services.AddSingleton<IImageFileStore, S3ImageStore>();
        services.AddHostedService<S3BucketCheck>();
        services.AddHealthChecks().AddCheck<S3HealthCheck>("storage", tags: [HealthApi.ReadyTag], timeout: TimeSpan.FromSeconds(5));
        return services;
    }

    // The settings docs/test-servers.md ("What an S3 client must do") found necessary against S3-compatible
    // stores that are not AWS, and harmless on AWS: path-style addressing, and checksums only where
    // an operation requires them (with the SDK's default, WHEN_SUPPORTED, Swift's s3api answers
    // 403 SignatureDoesNotMatch). UseChunkEncoding=false is set on each UploadPart.
    private static AmazonS3Client CreateClient(S3StorageOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrEmpty(options.Endpoint))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.Endpoint;
        }

        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }
}
