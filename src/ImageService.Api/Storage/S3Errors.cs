using Amazon.Runtime;

namespace ImageService.Api.Storage;

// An import reports a store that fails as storage_failed (an IOException), like a full disk; the
// detail of the store's own error goes to the log, not to the client.
internal static class S3Errors
{
    public static async Task<T> StoreAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw new IOException($"The object store refused or failed the request: {e.Message}", e);
        }
    }
}
