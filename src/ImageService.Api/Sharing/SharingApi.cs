using System.Security.Claims;
using ImageService.Api.Audit;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Api.Versioning;
using ImageService.Api.Wire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ImageService.Api.Sharing;

// Sharing an image with other accounts: the share operation here, its members in MembersApi.
internal static class SharingApi
{
    public static IServiceCollection AddImageSharing(this IServiceCollection services)
    {
        services.AddOptions<SharingOptions>().BindConfiguration(SharingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    public static RouteGroupBuilder MapSharing(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/images/{image_id}").RequireAuthorization().WithVersions().WithTags("Image sharing");
        group.MapPost("/share", CreateSharingImage).WithName("createSharingImage").WithSummary("Create Sharing Image");
        group.MapImageMembers();
        return group;
    }

    // Makes the image shareable: visibility becomes shared. Asking again is harmless (202 again).
    internal static async Task<Results<Accepted, ScpErrorResult>> CreateSharingImage(
        string image_id, ClaimsPrincipal caller, ImageDbContext db, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var accountId = caller.GetAccountId();
        var owned = await db.FindOwnedAsync(accountId, image_id, "share it", ct);
        if (!owned.IsOwned)
        {
            return owned.Refusal;
        }

        var image = owned.Image;
        if (image.Status != ImageStatus.Active)
        {
            return NotActive(image_id, image.Status);
        }

        if (image.Visibility != ImageVisibility.Shared)
        {
            // Conditional on the status, so that an image that stopped being active meanwhile is not shared.
            var now = time.GetUtcNow().UtcDateTime;
            var rows = await db.AuditedAsync(http, image_id, () => db.Images
                .Where(i => i.Id == image_id && i.OwnerId == accountId && i.Status == ImageStatus.Active)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.Visibility, ImageVisibility.Shared).SetProperty(i => i.UpdatedAt, now), ct), ct);
            if (rows == 0)
            {
                var status = await db.Images.Where(i => i.Id == image_id).Select(i => i.Status).FirstOrDefaultAsync(ct);
                return status is null ? ScpErrors.ImageNotFound(image_id) : NotActive(image_id, status);
            }
        }

        return TypedResults.Accepted((string?)null);
    }

    private static ScpErrorResult NotActive(string imageId, string status) => ImageErrors.NotActive(imageId, status, "share it");
}
