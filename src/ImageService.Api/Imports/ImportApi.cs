using System.Security.Claims;
using ImageService.Api.Audit;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Api.Imports.Sources;
using ImageService.Api.Quotas;
using ImageService.Api.Versioning;
using ImageService.Api.Wire;
using ImageService.Protocol.Images;
using ImageService.Protocol.Imports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ImageService.Api.Imports;

internal static class ImportApi
{
    public static RouteGroupBuilder MapImageImport(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/images/{image_id}/import").RequireAuthorization().WithVersions().WithTags("ImageImport");
        group.MapPost("", ImportImage).WithName("importImage").WithSummary("Import Image").WithExpectedDataHeaders();
        group.MapGet("", ShowImageImport).WithName("showImageImport")
            .WithSummary("Show the progress of an image's import (an addition to the SCP API)")
            .WithDescription("Not part of SCP: answers the state, bytes copied and, on failure, the reason, so that clients can show progress.");
        return group;
    }

    // Re-imports an image that has no data (queued or killed) from a new URL.
    internal static async Task<Results<Accepted, ScpErrorResult>> ImportImage(
        string image_id, JsonBody<ImageImportRequest> body, ClaimsPrincipal caller, ImageDbContext db, ImportSourcePolicy policy,
        ImportSignal signal, AccountQuotas quotas, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        if (body.Failed)
        {
            return body.Error;
        }

        var url = body.Value.Url;
        if (!ImageRules.IsValidUrl(url))
        {
            return ScpErrors.Invalid([ImageErrors.InvalidUrl()]);
        }

        var accountId = caller.GetAccountId();
        var owned = await db.FindOwnedAsync(accountId, image_id, "import data into it", ct);
        if (!owned.IsOwned)
        {
            return owned.Refusal;
        }

        if (ImportQueueing.Refusal(policy, url) is { } refused)
        {
            return refused;
        }

        if (ExpectedDataHeaders.Read(http, out var expected) is { } badExpectation)
        {
            return badExpectation;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await quotas.RefuseImportAsync(db, accountId, ct) is { } overQuota)
        {
            return overQuota;
        }

        var rows = await db.Images
            .Where(i => i.Id == image_id && (i.Status == ImageStatus.Queued || i.Status == ImageStatus.Killed))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, ImageStatus.Importing).SetProperty(i => i.Url, url).SetProperty(i => i.UpdatedAt, now), ct);
        if (rows != 1)
        {
            // What the image is now, not what it was when read: deleted meanwhile is a 404.
            var status = await db.Images.Where(i => i.Id == image_id).Select(i => i.Status).FirstOrDefaultAsync(ct);
            return status is null
                ? ScpErrors.ImageNotFound(image_id)
                : ScpErrors.Conflict("image_has_data", $"The image is {status}; only an image without data (queued or killed) can be imported again.");
        }

        db.ImportJobs.Add(ImportJobs.NewJob(image_id, accountId, url, now, expected));
        db.Audit(http, image_id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        signal.Ring();
        return TypedResults.Accepted((string?)null);
    }

    internal static async Task<Results<Ok<ImportStatusResponse>, ScpErrorResult>> ShowImageImport(
        string image_id, ClaimsPrincipal caller, ImageDbContext db, CancellationToken ct)
    {
        var readable = await db.FindReadableAsync(caller.GetAccountId(), image_id, ct) is not null;
        var job = readable
            ? await db.ImportJobs.AsNoTracking().Where(j => j.ImageId == image_id).OrderByDescending(j => j.Id).FirstOrDefaultAsync(ct)
            : null;
        if (job is null)
        {
            return readable
                ? ScpErrors.Of(StatusCodes.Status404NotFound, "import_not_found", "The image has never been imported.")
                : ScpErrors.ImageNotFound(image_id);
        }

        return TypedResults.Ok(new ImportStatusResponse(
            job.State,
            job.BytesDone,
            job.BytesTotal,
            job.StartedAt is { } started ? ImageMapping.Timestamp(started) : null,
            ImageMapping.Timestamp(job.UpdatedAt),
            job.ErrorCode is { } code ? new ImportError(code, job.ErrorDetail ?? "") : null,
            job.ExpectedChecksum,
            job.ExpectedSize,
            job.State == ImportState.Succeeded && job.ExpectedChecksum is not null ? job.ExpectedChecksum : null,
            job.State == ImportState.Succeeded ? job.ExpectedSize : null,
            job.Resumes));
    }
}
