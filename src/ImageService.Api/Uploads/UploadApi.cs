using System.Security.Claims;
using ImageService.Api.Audit;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Api.Imports;
using ImageService.Api.Quotas;
using ImageService.Api.Versioning;
using ImageService.Api.Wire;
using ImageService.Protocol.Images;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace ImageService.Api.Uploads;

// Upload of a local file, an extension beside the SCP operations in Glance's two steps
// (docs/imports.md, "Upload"): createImageForUpload makes an image without data (createImage keeps
// requiring url), and uploadImageFile streams the request body through the import's one pass.
internal static class UploadApi
{
    public static IEndpointRouteBuilder MapImageUploads(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v2/images", CreateImageForUpload)
            .RequireAuthorization()
            .WithVersions()
            .WithName("createImageForUpload")
            .WithTags("Uploads (an extension)")
            .WithSummary("Create an image without data, for an upload (an extension)")
            .WithDescription("Not part of SCP: the body is createImage's without url; the image is queued until PUT /v2/images/{image_id}/file uploads its data.");

        app.MapPut("/v2/images/{image_id}/file", UploadImageFile)
            .RequireAuthorization()
            .WithName("uploadImageFile")
            .WithTags("Uploads (an extension)")
            .Accepts<Stream>(ImageFileContentType)
            .WithExpectedDataHeaders()
            .WithSummary("Upload an image's data (an extension)")
            .WithDescription("Not part of SCP: streams the qcow2 file in the body through the same checks as an import. "
                + "204 once the image is active; on a refusal the image is killed and the answer carries the import's error code.");
        return app;
    }

    private const string ImageFileContentType = "application/octet-stream";

    internal static async Task<Results<Ok<ImageShowResponse>, ScpErrorResult>> CreateImageForUpload(
        JsonBody<ImageCreateRequest> body, ApiVersion version, ClaimsPrincipal caller, ImageDbContext db, AccountQuotas quotas,
        HttpContext http, TimeProvider time, CancellationToken ct)
    {
        if (body.Failed)
        {
            return body.Error;
        }

        var request = body.Value;
        var problems = ImageCreation.Validate(request, version, forUpload: true);
        if (problems.Count > 0)
        {
            return ScpErrors.Invalid(problems);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var image = ImageCreation.Build(request, caller.GetAccountId(), caller.GetAccountName(), caller.GetUserName(), ImageStatus.Queued, now);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await quotas.RefuseNewImageAsync(db, image.OwnerId, ct) is { } overQuota)
        {
            return overQuota;
        }

        db.Images.Add(image);
        db.Audit(http, image.Id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(image.ToShowResponse(version, image.OwnerId));
    }

    // The request runs the job itself: the bytes arrive on this connection, so this node claims the
    // job as it creates it, and the worker never runs it unless this node dies first (then it fails
    // it as upload_interrupted). While the body streams, the job's progress writes renew its lease
    // and show in showImageImport, as an import's do.
    internal static async Task<Results<NoContent, ScpErrorResult>> UploadImageFile(
        string image_id, ClaimsPrincipal caller, ImageDbContext db, ImportRunner runner, AccountQuotas quotas,
        IOptionsMonitor<ImportOptions> options, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var request = http.Request;
        if (request.ContentType is { } contentType
            && !(MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.Equals(ImageFileContentType, StringComparison.OrdinalIgnoreCase)))
        {
            return UploadErrors.UnsupportedMediaType();
        }

        if (ExpectedDataHeaders.Read(http, out var expected) is { } badExpectation)
        {
            return badExpectation;
        }

        var settings = options.CurrentValue;
        if (request.ContentLength > settings.MaxImageBytes)
        {
            return UploadErrors.TooLarge(settings.MaxImageBytes);
        }

        var accountId = caller.GetAccountId();
        var owned = await db.FindOwnedAsync(accountId, image_id, "upload its data", ct);
        if (!owned.IsOwned)
        {
            return owned.Refusal;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var job = ImportJobs.NewUpload(image_id, accountId, ImportWorker.Node, now + settings.LeaseDuration, now, expected);
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            if (await quotas.RefuseImportAsync(db, accountId, ct) is { } overQuota)
            {
                return overQuota;
            }

            var rows = await db.Images
                .Where(i => i.Id == image_id && (i.Status == ImageStatus.Queued || i.Status == ImageStatus.Killed))
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImageStatus.Importing).SetProperty(i => i.UpdatedAt, now), ct);
            if (rows != 1)
            {
                // What the image is now, not what it was when read: deleted meanwhile is a 404.
                var status = await db.Images.Where(i => i.Id == image_id).Select(i => i.Status).FirstOrDefaultAsync(ct);
                return status is null ? ScpErrors.ImageNotFound(image_id) : UploadErrors.HasData(status);
            }

            db.ImportJobs.Add(job);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }

        // Kestrel's own limit (30 MB) would cut an image short; the pass enforces Import:MaxImageBytes
        // and the account's quota itself, the moment the bytes pass them.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = null;
        }

        var (finished, failure) = await runner.UploadAsync(job, ImportWorker.Node, new UploadBodyStream(request.Body), request.ContentLength,
            AuditTrail.Caller(http));
        return !finished ? ScpErrors.ImageNotFound(image_id)
            : failure is null ? TypedResults.NoContent()
            : UploadErrors.Failed(failure);
    }
}
