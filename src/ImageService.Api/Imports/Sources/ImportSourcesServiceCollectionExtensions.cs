using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace ImageService.Api.Imports.Sources;

internal static class ImportSourcesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ObjectStorageClient"/> and <see cref="ImportSourcePolicy"/>. ImportOptions
    /// must be registered by the caller.
    /// </summary>
    public static void AddObjectStorageClient(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ImportSourcePolicy>();
        services.TryAddSingleton<SourceConnector>();
        services.TryAddTransient<SourceDownloads>();

        // HttpClient.Timeout would cap the whole exchange; ObjectStorageClient times the wait for headers
        // and SourceContentStream the silences in the body instead.
        services.AddHttpClient<ObjectStorageClient>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(CreatePrimaryHandler)
            // The default handlers log every request URL, and a presigned URL's query is a credential;
            // ObjectStorageClient logs scheme, host and path itself.
            .RemoveAllLoggers()
            // Not AddStandardResilienceHandler: its 30 s total timeout would cut a long download off, and
            // its circuit breaker and rate limiter are shared by every source, so one tenant's broken or
            // hostile URL would stop everyone's imports. What remains useful is a short retry of the
            // initial response when an object store says it is busy (S3 documents 500/503 SlowDown as
            // retryable). It runs per request, inside the redirect loop, so every retried hop has passed
            // the policy already. A body that breaks half-way is not this handler's: SourceDownloads resumes it
            // with a Range request, which comes back through this pipeline and the policy as a new request.
            .AddResilienceHandler("source-response", ConfigureRetry);
    }

    private static SocketsHttpHandler CreatePrimaryHandler(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptionsMonitor<ImportOptions>>().CurrentValue;
        var connector = services.GetRequiredService<SourceConnector>();
        return new SocketsHttpHandler
        {
            // An HTTP(S)_PROXY from the environment would connect on our behalf, past ConnectCallback.
            UseProxy = false,
            // Every redirect target must pass ImportSourcePolicy; ObjectStorageClient follows them itself.
            AllowAutoRedirect = false,
            // No decompression bombs: the image is stored exactly as sent.
            AutomaticDecompression = DecompressionMethods.None,
            // One handler serves every tenant's imports; a cookie set by one source must not reach another.
            UseCookies = false,
            ConnectTimeout = options.ConnectTimeout,
            ConnectCallback = (context, ct) => connector.ConnectAsync(context.DnsEndPoint, ct),
        };
    }

    private static void ConfigureRetry(ResiliencePipelineBuilder<HttpResponseMessage> pipeline) =>
        pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(5),
            // A hostile source must not decide how long an import slot is held.
            ShouldRetryAfterHeader = false,
            // Statuses only: a refused address or an unresolvable name will not change on a retry, and
            // retrying it would multiply the connections one hostile URL makes.
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode is
                HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
                or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout),
        });
}
