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

internal static class ImagesApi
{
    public static RouteGroupBuilder MapImages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/images").RequireAuthorization().WithVersions().WithTags("Images");
        group.MapGet("", ListImages).WithName("listImages").WithSummary("List Images");
        group.MapPost("", CreateImage).WithName("createImage").WithSummary("Create Image");
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
            : page.ToListResult(version);
    }

    internal static async Task<Results<Ok<ImageShowResponse>, ScpErrorResult>> CreateImage(
        JsonBody<ImageCreateRequest> body, ApiVersion version, ClaimsPrincipal caller, ImageDbContext db, ImportSourcePolicy policy,
        ImportSignal signal, AccountQuotas quotas, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        if (body.Error is { } error)
        {
            return error;
        }

        var request = body.Value!;
        var problems = ImageCreation.Validate(request, version);
        if (problems.Count > 0)
        {
            return ScpErrors.Invalid(problems);
        }

        if (ImportQueueing.Refusal(policy, request.Url!) is { } refused)
        {
            return refused;
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
        db.ImportJobs.Add(ImportJobs.NewJob(image.Id, image.OwnerId, request.Url!, now));
        db.Audit(http, image.Id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        signal.Ring();
        return TypedResults.Ok(image.ToShowResponse(version));
    }

    internal static async Task<Results<Ok<ImageShowResponse>, ScpErrorResult>> ShowImage(
        string image_id, ApiVersion version, ClaimsPrincipal caller, ImageDbContext db, CancellationToken ct)
    {
        var image = await db.FindReadableAsync(caller.GetAccountId(), image_id, ct);
        return image is null ? ScpErrors.ImageNotFound(image_id) : TypedResults.Ok(image.ToShowResponse(version));
    }

    internal static async Task<Results<Ok<ImageShowResponse>, ScpErrorResult>> UpdateImage(
        string image_id, JsonBody<ImageSetRequest> body, ApiVersion version, ClaimsPrincipal caller, ImageDbContext db, HttpContext http,
        TimeProvider time, CancellationToken ct)
    {
        if (body.Error is { } error)
        {
            return error;
        }

        var request = body.Value!;
        var problems = ImageUpdate.Validate(request);
        if (problems.Count > 0)
        {
            return ScpErrors.Invalid(problems);
        }

        var accountId = caller.GetAccountId();
        var (image, refusal) = await db.FindOwnedAsync(accountId, image_id, "update", ct);
        if (image is null)
        {
            return refusal!;
        }

        // Only the four fields this operation owns are written, so a change made meanwhile by the
        // import worker (status, hashes) is never overwritten with what this request read.
        ImageUpdate.Apply(image, request, time.GetUtcNow().UtcDateTime);
        await db.AuditedAsync(http, image.Id, () => db.Images.Where(i => i.Id == image.Id && i.OwnerId == accountId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.MinDisk, image.MinDisk)
                .SetProperty(i => i.MinRam, image.MinRam)
                .SetProperty(i => i.Protected, image.Protected)
                .SetProperty(i => i.Visibility, image.Visibility)
                .SetProperty(i => i.UpdatedAt, image.UpdatedAt), ct), ct);
        return TypedResults.Ok(image.ToShowResponse(version));
    }

    internal static async Task<Results<NoContent, ScpErrorResult>> DeleteImage(
        string image_id, ClaimsPrincipal caller, ImageDbContext db, IImageFileStore store, ImportCancellations imports, HttpContext http,
        CancellationToken ct)
    {
        var accountId = caller.GetAccountId();
        var (image, refusal) = await db.FindOwnedAsync(accountId, image_id, "delete", ct);
        return image switch
        {
            null => refusal!,
            { Protected: true } => ScpErrors.Conflict("image_protected", "The image is protected; set protected to false before deleting it."),
            _ => await DeleteOwnedAsync(db, store, imports, http, accountId, image_id, ct),
        };
    }

    private static async Task<Results<NoContent, ScpErrorResult>> DeleteOwnedAsync(
        ImageDbContext db, IImageFileStore store, ImportCancellations imports, HttpContext http, string accountId, string imageId, CancellationToken ct)
    {
        // The conditional delete settles a race with a concurrent update that protects the image.
        // Members and import jobs go with the row (cascade); a running download here stops at once,
        // on another node at its next lease renewal; the data goes after the row, and if this node
        // dies in between, the sweeper removes it.
        var rows = await db.AuditedAsync(http, imageId,
            () => db.Images.Where(i => i.Id == imageId && i.OwnerId == accountId && !i.Protected).ExecuteDeleteAsync(ct), ct);
        if (rows != 1)
        {
            return ScpErrors.Conflict("image_protected", "The image is protected; set protected to false before deleting it.");
        }

        imports.Cancel(imageId);
        await store.DeleteAsync(imageId, CancellationToken.None);
        return TypedResults.NoContent();
    }
}
