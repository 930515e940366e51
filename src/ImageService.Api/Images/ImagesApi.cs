using System.Security.Claims;
using ImageService.Api.Audit;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Imports;
using ImageService.Api.Imports.Sources;
using ImageService.Api.Quotas;
using ImageService.Api.Storage;
using ImageService.Api.Versioning;
using ImageService.Api.Wire;
using ImageService.Protocol.Images;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ImageService.Api.Images;

internal static partial class ImagesApi
{
    public static RouteGroupBuilder MapImages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/images").RequireAuthorization().WithVersions().WithTags("Images");
        group.MapGet("", ListImages).WithName("listImages").WithSummary("List Images");
        group.MapPost("", CreateImage).WithName("createImage").WithSummary("Create Image").WithExpectedDataHeaders();
        group.MapGet("/{image_id}", ShowImage).WithName("showImage").WithSummary("Show Image");
        group.MapPut("/{image_id}", UpdateImage).WithName("updateImage").WithSummary("Update Image");
        group.MapDelete("/{image_id}", DeleteImage).WithName("deleteImage").WithSummary("Delete Image");
        return group;
    }

    internal static async Task<IResult> ListImages(
        HttpRequest request, ApiVersion version, ClaimsPrincipal caller, ImageDbContext db, CancellationToken ct)
    {
        var query = ImageListQuery.Parse(request.Query, out var problems);
        if (query is null)
        {
            return ScpErrors.Invalid(problems);
        }

        var page = await ImagePaging.PageAsync(db, caller.GetAccountId(), query, ct);
        return page is null
            ? ScpErrors.BadRequest("invalid_marker", "marker must be the id of an image from the previous page of this list.")
            : page.ToListResult(version, caller.GetAccountId());
    }

    internal static async Task<Results<Ok<ImageShowResponse>, ScpErrorResult>> CreateImage(
        JsonBody<ImageCreateRequest> body, ApiVersion version, ClaimsPrincipal caller, ImageDbContext db, ImportSourcePolicy policy,
        ImportSignal signal, AccountQuotas quotas, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        if (body.Failed)
        {
            return body.Error;
        }

        var request = body.Value;
        var problems = ImageCreation.Validate(request, version);
        if (problems.Count > 0)
        {
            return ScpErrors.Invalid(problems);
        }

        if (ImportQueueing.Refusal(policy, request.Url!) is { } refused)
        {
            return refused;
        }

        if (ExpectedDataHeaders.Read(http, out var expected) is { } badExpectation)
        {
            return badExpectation;
        }

        // The image and its import job are stored together; the client sees "importing" at once and
        // never "queued", which the SCP Terraform provider treats as an error.
        var now = time.GetUtcNow().UtcDateTime;
        var image = ImageCreation.Build(request, caller.GetAccountId(), caller.GetAccountName(), caller.GetUserName(), ImageStatus.Importing, now);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await quotas.RefuseNewImageAsync(db, image.OwnerId, ct) is { } overQuota)
        {
            return overQuota;
        }

        db.Images.Add(image);
        db.ImportJobs.Add(ImportJobs.NewJob(image.Id, image.OwnerId, request.Url!, now, expected));
        db.Audit(http, image.Id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        signal.Ring();
        return TypedResults.Ok(image.ToShowResponse(version, image.OwnerId));
    }

    internal static async Task<Results<Ok<ImageShowResponse>, ScpErrorResult>> ShowImage(
        string image_id, ApiVersion version, ClaimsPrincipal caller, ImageDbContext db, CancellationToken ct)
    {
        var accountId = caller.GetAccountId();
        var image = await db.FindReadableAsync(accountId, image_id, ct);
        return image is null ? ScpErrors.ImageNotFound(image_id) : TypedResults.Ok(image.ToShowResponse(version, accountId));
    }

    internal static async Task<Results<Ok<ImageShowResponse>, ScpErrorResult>> UpdateImage(
        string image_id, JsonBody<ImageSetRequest> body, ApiVersion version, ClaimsPrincipal caller, ImageDbContext db, HttpContext http,
        TimeProvider time, CancellationToken ct)
    {
        if (body.Failed)
        {
            return body.Error;
        }

        var request = body.Value;
        var problems = ImageUpdate.Validate(request);
        if (problems.Count > 0)
        {
            return ScpErrors.Invalid(problems);
        }

        var accountId = caller.GetAccountId();
        var owned = await db.FindOwnedAsync(accountId, image_id, "update it", ct);
        if (!owned.IsOwned)
        {
            return owned.Refusal;
        }

        // Only the four fields this operation owns are written, so a change made meanwhile by the
        // import worker (status, hashes) is never overwritten with what this request read. The row
        // count answers whether the image is still there: one deleted since the read is a 404, not
        // a 200 showing what no longer exists.
        var image = owned.Image;
        ImageUpdate.Apply(image, request, time.GetUtcNow().UtcDateTime);
        var rows = await db.AuditedAsync(http, image.Id, () => db.Images.Where(i => i.Id == image.Id && i.OwnerId == accountId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.MinDisk, image.MinDisk)
                .SetProperty(i => i.MinRam, image.MinRam)
                .SetProperty(i => i.Protected, image.Protected)
                .SetProperty(i => i.Visibility, image.Visibility)
                .SetProperty(i => i.UpdatedAt, image.UpdatedAt), ct), ct);
        return rows == 0 ? ScpErrors.ImageNotFound(image_id) : TypedResults.Ok(image.ToShowResponse(version, accountId));
    }

    internal static async Task<Results<NoContent, ScpErrorResult>> DeleteImage(
        string image_id, ClaimsPrincipal caller, ImageDbContext db, IImageFileStore store, ImportCancellations imports,
        HttpContext http, ILoggerFactory loggers, CancellationToken ct)
    {
        var accountId = caller.GetAccountId();
        var owned = await db.FindOwnedAsync(accountId, image_id, "delete it", ct);
        if (!owned.IsOwned)
        {
            return owned.Refusal;
        }

        if (owned.Image.Protected)
        {
            return ImageErrors.Protected();
        }

        // The conditional delete settles a race with a concurrent update that protects the image, and
        // with a concurrent delete: no row deleted is a 409 while the image is still there, else a 404.
        // Members and import jobs go with the row (cascade); a running download here stops at once,
        // on another node at its next lease renewal.
        var rows = await db.AuditedAsync(http, image_id,
            () => db.Images.Where(i => i.Id == image_id && i.OwnerId == accountId && !i.Protected).ExecuteDeleteAsync(ct), ct);
        if (rows != 1)
        {
            return await db.Images.AnyAsync(i => i.Id == image_id, ct) ? ImageErrors.Protected() : ScpErrors.ImageNotFound(image_id);
        }

        imports.Cancel(image_id);
        await DeleteDataAsync(store, image_id, loggers.CreateLogger(typeof(ImagesApi)));
        return TypedResults.NoContent();
    }

    // The image is gone once its row is: a store that fails now (a full or read-only disk, an S3
    // outage) does not undo that, so the delete still answers 204. The data is left to the sweeper,
    // which removes stored data no image owns (Imports/ImportSweeper.cs, docs/imports.md).
    private static async Task DeleteDataAsync(IImageFileStore store, string imageId, ILogger logger)
    {
        try
        {
            await store.DeleteAsync(imageId, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.DataLeftForSweep(logger, imageId, e);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Image {ImageId} is deleted but the store could not remove its data; the sweeper will")]
        public static partial void DataLeftForSweep(ILogger logger, string imageId, Exception exception);
    }
}
