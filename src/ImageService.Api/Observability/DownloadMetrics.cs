using System.Diagnostics.Metrics;

namespace ImageService.Api.Observability;

// Image data served to the hypervisors. Counted when the response has been sent, from its
// Content-Length (the whole image or the requested range); HEAD and refusals send no data.
internal sealed class DownloadMetrics
{
    private readonly Counter<long> _downloads;
    private readonly Counter<long> _bytes;

    public DownloadMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ImageServiceMeter.Name);
        _downloads = meter.CreateCounter<long>("imageservice.downloads", "{download}", "Image data responses sent (200 or 206), whole or ranged.");
        _bytes = meter.CreateCounter<long>("imageservice.download.bytes", "By", "Bytes of image data sent.");
    }

    // As an endpoint filter on the download routes, so the handler itself stays about images.
    public static async ValueTask<object?> CountAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var metrics = context.RequestServices.GetRequiredService<DownloadMetrics>();
        context.Response.OnCompleted(() =>
        {
            metrics.Completed(context);
            return Task.CompletedTask;
        });
        return await next(invocation);
    }

    private void Completed(HttpContext context)
    {
        var sent = context.Response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status206PartialContent;
        if (!sent || HttpMethods.IsHead(context.Request.Method) || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        _downloads.Add(1);
        _bytes.Add(context.Response.ContentLength ?? 0);
    }
}
