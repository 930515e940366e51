using System.Security.Claims;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Api.Sharing;
using ImageService.Api.Versioning;
using ImageService.Api.Wire;
using ImageService.Protocol.Errors;
using Microsoft.EntityFrameworkCore;

namespace ImageService.Api.PendingImages;

// The images other accounts have shared with the caller that it has neither accepted nor rejected.
internal static class PendingImagesApi
{
    // The spec gives this list no limit or marker, so it is one answer: the newest pending images, at
    // most this many. Accepting or rejecting some brings older ones into the list (docs/sharing.md).
    public const int MaxImages = ImageListQuery.MaxLimit;

    private static readonly ImageSort NewestFirst = ImageSort.TryParse(ImageSort.Default, out var sort, out _)
        ? sort
        : throw new InvalidOperationException("The default image sort does not parse.");

    public static RouteGroupBuilder MapPendingImages(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/pending-images").RequireAuthorization().WithVersions().WithTags("Images");
        group.MapGet("", ListPendingImages).WithName("listPendingImages").WithSummary("List pending Images");
        return group;
    }

    internal static async Task<IResult> ListPendingImages(
        HttpRequest request, ApiVersion version, ClaimsPrincipal caller, ImageDbContext db, CancellationToken ct)
    {
        var problems = new List<ScpError>();
        var imageType = ImageListQuery.One(request.Query, "scp_image_type", problems);
        var originalImageType = ImageListQuery.One(request.Query, "scp_original_image_type", problems);
        if (problems.Count > 0)
        {
            return ScpErrors.Invalid(problems);
        }

        var images = await PendingQuery(db, caller.GetAccountId(), imageType, originalImageType).AsNoTracking().ToListAsync(ct);
        return images.ToListResult(version, caller.GetAccountId(), pending: true);
    }

    // The list's query, without running it (the query-plan tests explain exactly this statement).
    // It starts from the account's pending memberships, so it reads those and nothing of the rest
    // of the database; sorting them is bounded by what is shared with the account (docs/scale.md).
    internal static IQueryable<Image> PendingQuery(ImageDbContext db, string accountId, string? imageType, string? originalImageType)
    {
        var filter = new ImageListQuery(MaxImages, null, NewestFirst, null, null, null, null, imageType, originalImageType);
        return NewestFirst.Apply(filter.Filter(db.SharedWith(accountId, MemberStatus.Pending))).Take(MaxImages);
    }
}
