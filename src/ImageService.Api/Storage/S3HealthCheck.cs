using Amazon.S3;
using Amazon.S3.Util;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Storage;

// A node that cannot reach the bucket can neither import nor serve image data: /readyz says so,
// and the load balancer sends requests elsewhere.
internal sealed class S3HealthCheck(IAmazonS3 s3, IOptions<StorageOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await AmazonS3Util.DoesS3BucketExistV2Async(s3, options.Value.S3.Bucket)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The S3 bucket does not exist.");
        }
        catch (Exception e) when (e is AmazonS3Exception or Amazon.Runtime.AmazonClientException or HttpRequestException)
        {
            return HealthCheckResult.Unhealthy("The S3 store cannot be reached.");
        }
    }
}
