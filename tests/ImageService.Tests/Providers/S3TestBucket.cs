using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace ImageService.Tests.Providers;

// A bucket of its own for one app or one group of service processes; the service creates it at
// start (Storage:S3:CreateBucket), and disposing empties and deletes it. Tests also read it directly
// to check that nothing is left behind: objects, or multipart uploads never completed.
public sealed class S3TestBucket(TestProviders.S3Server server) : IDisposable
{
    public string Name { get; } = $"imageservice-test-{Guid.NewGuid():N}";

    public IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Storage:Provider"] = "S3",
        ["Storage:S3:Endpoint"] = server.Endpoint,
        ["Storage:S3:Region"] = server.Region,
        ["Storage:S3:AccessKey"] = server.AccessKey,
        ["Storage:S3:SecretKey"] = server.SecretKey,
        ["Storage:S3:Bucket"] = Name,
    };

    internal AmazonS3Client CreateClient() => new(new BasicAWSCredentials(server.AccessKey, server.SecretKey), new AmazonS3Config
    {
        ServiceURL = server.Endpoint,
        ForcePathStyle = true,
        AuthenticationRegion = server.Region,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public async Task<string[]> ObjectKeysAsync()
    {
        using var s3 = CreateClient();
        var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Name });
        return (page.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToArray();
    }

    public async Task<string[]> UnfinishedUploadKeysAsync()
    {
        using var s3 = CreateClient();
        var page = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Name });
        return (page.MultipartUploads ?? []).Select(u => u.Key).Order(StringComparer.Ordinal).ToArray();
    }

    public void Dispose() => DeleteAsync().GetAwaiter().GetResult();

    private async Task DeleteAsync()
    {
        using var s3 = CreateClient();
        try
        {
            var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Name });
            foreach (var upload in uploads.MultipartUploads ?? [])
            {
                await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = Name, Key = upload.Key, UploadId = upload.UploadId });
            }

            ListObjectsV2Response page;
            do
            {
                page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Name });
                foreach (var stored in page.S3Objects ?? [])
                {
                    await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Name, Key = stored.Key });
                }
            }
            while (page.IsTruncated == true);

            await s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = Name });
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // The app never started, so the bucket was never created.
        }
    }
}
