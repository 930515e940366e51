using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Util;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Storage;

// At start, before the import worker: the bucket exists, or is created when Storage:S3:CreateBucket
// allows, or the node refuses to start with a message that names the bucket.
internal sealed partial class S3BucketCheck(IAmazonS3 s3, IOptions<StorageOptions> options, ILogger<S3BucketCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.S3;
        if (await AmazonS3Util.DoesS3BucketExistV2Async(s3, settings.Bucket))
        {
            return;
        }

        if (!settings.CreateBucket)
        {
            throw new InvalidOperationException(
                $"The S3 bucket '{settings.Bucket}' does not exist. Create it, or set Storage:S3:CreateBucket=true to let the service create it.");
        }

        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = settings.Bucket }, cancellationToken);
            Log.BucketCreated(logger, settings.Bucket);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            // Another node created it a moment ago.
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Created the S3 bucket {Bucket}")]
        public static partial void BucketCreated(ILogger logger, string bucket);
    }
}
