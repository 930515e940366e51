using System.Security.Claims;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Api.Observability;
using ImageService.Api.Storage;
using ImageService.Api.Wire;
using Microsoft.Net.Http.Headers;

namespace ImageService.Api.ImageFiles;

// The stored bytes, at the path each image's `file` field names, for anyone who can see the image
// (the hypervisors that boot from it). Range requests let them fetch pieces and resume.
internal static class ImageFileApi
{
    public const string ContentType = "application/octet-stream";

    public static IEndpointRouteBuilder MapImageFiles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/images/{image_id}/file", DownloadImageFile)
            .RequireAuthorization()
            .WithName("downloadImageFile")
            .AddEndpointFilter(DownloadMetrics.CountAsync)
            .WithTags("ImageFiles")
            .WithSummary("Download an image's data (whole or by HTTP Range)");

        // HEAD answers the same headers without the body; it is the same operation, so it stays out
        // of the OpenAPI document, where an operationId must be unique.
        app.MapMethods("/v2/images/{image_id}/file", [HttpMethods.Head], DownloadImageFile)
            .RequireAuthorization()
            .ExcludeFromDescription();
        return app;
    }

    internal static async Task<IResult> DownloadImageFile(
        string image_id, HttpRequest httpRequest, ClaimsPrincipal caller, ImageDbContext db, IImageFileStore store, CancellationToken ct)
    {
        var image = await db.FindReadableAsync(caller.GetAccountId(), image_id, ct);
        if (image is null)
        {
            return ScpErrors.ImageNotFound(image_id);
        }

        var content = image.Status == ImageStatus.Active ? await store.OpenAsync(image_id, ct) : null;
        if (content is null || image.Checksum is null)
        {
            return ImageErrors.NotActive(image_id, image.Status, "download its data");
        }

        var etag = new EntityTagHeaderValue($"\"{image.Checksum}\"");
        var modified = new DateTimeOffset(DateTime.SpecifyKind(image.UpdatedAt, DateTimeKind.Utc));
        if (content.PhysicalPath is { } path)
        {
            LargeChunkSendFileFeature.Install(httpRequest.HttpContext);
            return TypedResults.PhysicalFile(path, ContentType, lastModified: modified, entityTag: etag, enableRangeProcessing: true);
        }

        var stream = new StoredContentStream(content, SingleRange(httpRequest, content.Length));
        return TypedResults.Stream(stream, ContentType, lastModified: modified, entityTag: etag, enableRangeProcessing: true);
    }

    // Where the one range a request asks for starts and ends, so that the store is asked for exactly
    // that; whether the range is honoured (If-Range, 416) stays the file result's decision.
    private static (long Start, long End)? SingleRange(HttpRequest request, long length)
    {
        if (request.GetTypedHeaders().Range is not { Ranges.Count: 1 } header || length == 0)
        {
            return null;
        }

        var range = header.Ranges.Single();
        return (range.From, range.To) switch
        {
            ({ } from, { } to) when from <= to && from < length => (from, Math.Min(to, length - 1)),
            ({ } from, null) when from < length => (from, length - 1),
            (null, { } suffix) when suffix > 0 => (Math.Max(0, length - suffix), length - 1),
            _ => null,
        };
    }
}
