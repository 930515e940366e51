using System.Security.Claims;
using ImageService.Api.Audit;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Api.Wire;
using ImageService.Protocol.Sharing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Sharing;

// The members of an image, as Glance serves them: the owner adds, lists and removes members while
// the image is shared; each member sees only its own entry and is the only one who may set its status.
internal static class MembersApi
{
    public static RouteGroupBuilder MapImageMembers(this RouteGroupBuilder image)
    {
        var group = image.MapGroup("/members");
        group.MapGet("", ListImageMembers).WithName("listImageMembers").WithSummary("List Image members");
        group.MapPost("", CreateImageMember).WithName("createImageMember").WithSummary("Create Image member");
        group.MapGet("/{member_id}", ShowImageMember).WithName("showImageMember").WithSummary("Show Image member");
        group.MapPut("/{member_id}", UpdateImageMember).WithName("updateImageMember").WithSummary("Update Image member");
        group.MapDelete("/{member_id}", DeleteImageMember).WithName("deleteImageMember").WithSummary("Delete Image member");
        return group;
    }

    internal static async Task<Results<Ok<ImageMemberListResponse>, ScpErrorResult>> ListImageMembers(
        string image_id, ClaimsPrincipal caller, ImageDbContext db, CancellationToken ct)
    {
        var accountId = caller.GetAccountId();
        var image = await FindAsync(db, image_id, accountId, ct);
        if (image is not { Shared: true })
        {
            return image is null ? ScpErrors.ImageNotFound(image_id) : SharingErrors.NotShared(image_id);
        }

        var members = await db.ImageMembers.AsNoTracking()
            .Where(m => m.ImageId == image_id && (image.Owned || m.MemberId == accountId))
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.MemberId)
            .ToListAsync(ct);
        return TypedResults.Ok(new ImageMemberListResponse(members.Select(m => m.ToShowResponse()).ToArray()));
    }

    internal static async Task<Results<Ok<ImageMemberShowResponse>, ScpErrorResult>> CreateImageMember(
        string image_id, JsonBody<ImageMemberCreateRequest> body, ClaimsPrincipal caller, ImageDbContext db,
        IOptionsMonitor<SharingOptions> options, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        if (body.Failed)
        {
            return body.Error;
        }

        if (body.Value.MemberId is not { } memberId || !AccountIds.IsValid(memberId))
        {
            return SharingErrors.InvalidMemberId();
        }

        var accountId = caller.GetAccountId();
        if (await OwnedSharedRefusalAsync(db, image_id, accountId, ct) is { } refusal)
        {
            return refusal;
        }

        if (memberId == accountId)
        {
            return SharingErrors.MemberIsOwner();
        }

        // Writing to the image row first takes its lock, so concurrent adds to one image run one after
        // another and the count below cannot be outrun; the same statement re-checks that it is shared.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var locked = await db.Images.Where(i => i.Id == image_id && i.OwnerId == accountId && i.Visibility == ImageVisibility.Shared)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Visibility, i => i.Visibility), ct);
        if (locked == 0)
        {
            return SharingErrors.NotShared(image_id);
        }

        if (await db.ImageMembers.AnyAsync(m => m.ImageId == image_id && m.MemberId == memberId, ct))
        {
            return SharingErrors.MemberExists(image_id, memberId);
        }

        var limit = options.CurrentValue.MaxMembersPerImage;
        if (await db.ImageMembers.CountAsync(m => m.ImageId == image_id, ct) >= limit)
        {
            return SharingErrors.TooManyMembers(limit);
        }

        var now = time.GetUtcNow().UtcDateTime;
        var member = new ImageMember { ImageId = image_id, MemberId = memberId, Status = MemberStatus.Pending, CreatedAt = now, UpdatedAt = now };
        db.ImageMembers.Add(member);
        db.Audit(http, image_id, memberId);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(member.ToShowResponse());
    }

    internal static async Task<Results<Ok<ImageMemberShowResponse>, ScpErrorResult>> ShowImageMember(
        string image_id, string member_id, ClaimsPrincipal caller, ImageDbContext db, CancellationToken ct)
    {
        var accountId = caller.GetAccountId();
        var image = await FindAsync(db, image_id, accountId, ct);
        if (image is not { Shared: true })
        {
            return image is null ? ScpErrors.ImageNotFound(image_id) : SharingErrors.NotShared(image_id);
        }

        // A member sees its own entry only; another member's is answered as absent, as in Glance.
        var member = image.Owned || member_id == accountId
            ? await db.ImageMembers.AsNoTracking().FirstOrDefaultAsync(m => m.ImageId == image_id && m.MemberId == member_id, ct)
            : null;
        return member is null ? SharingErrors.MemberNotFound(image_id, member_id) : TypedResults.Ok(member.ToShowResponse());
    }

    internal static async Task<Results<Ok<ImageMemberShowResponse>, ScpErrorResult>> UpdateImageMember(
        string image_id, string member_id, JsonBody<ImageMemberSetRequest> body, ClaimsPrincipal caller, ImageDbContext db,
        HttpContext http, TimeProvider time, CancellationToken ct)
    {
        if (body.Failed)
        {
            return body.Error;
        }

        var status = body.Value.Status;
        if (status is null || !MemberStatus.All.Contains(status))
        {
            return SharingErrors.InvalidStatus();
        }

        var accountId = caller.GetAccountId();
        var image = await FindAsync(db, image_id, accountId, ct);
        switch (image)
        {
            case null:
                return ScpErrors.ImageNotFound(image_id);
            case { Shared: false }:
                return SharingErrors.NotShared(image_id);
            case { Owned: true }:
                return SharingErrors.NotTheMember();
            default:
                break;
        }

        var member = member_id == accountId
            ? await db.ImageMembers.AsNoTracking().FirstOrDefaultAsync(m => m.ImageId == image_id && m.MemberId == accountId, ct)
            : null;
        if (member is null)
        {
            return SharingErrors.MemberNotFound(image_id, member_id);
        }

        // Set-based, so that an owner removing the member meanwhile leaves no row to update: the row
        // count makes that the same 404 as a member that was never there, where a tracked entity's
        // SaveChanges threw a concurrency exception (a 500).
        var now = time.GetUtcNow().UtcDateTime;
        var rows = await db.AuditedAsync(http, image_id, () => db.ImageMembers.Where(m => m.ImageId == image_id && m.MemberId == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, status).SetProperty(m => m.UpdatedAt, now), ct), ct, status);
        if (rows == 0)
        {
            return SharingErrors.MemberNotFound(image_id, member_id);
        }

        member.Status = status;
        member.UpdatedAt = now;
        return TypedResults.Ok(member.ToShowResponse());
    }

    internal static async Task<Results<NoContent, ScpErrorResult>> DeleteImageMember(
        string image_id, string member_id, ClaimsPrincipal caller, ImageDbContext db, HttpContext http, CancellationToken ct)
    {
        var accountId = caller.GetAccountId();
        if (await OwnedSharedRefusalAsync(db, image_id, accountId, ct) is { } refusal)
        {
            return refusal;
        }

        var rows = await db.AuditedAsync(http, image_id,
            () => db.ImageMembers.Where(m => m.ImageId == image_id && m.MemberId == member_id).ExecuteDeleteAsync(ct), ct, member_id);
        return rows == 0 ? SharingErrors.MemberNotFound(image_id, member_id) : TypedResults.NoContent();
    }

    // Adding and removing members: only the owner, and only while the image is shared. Null when
    // the caller may go on; otherwise the answer.
    private static async Task<ScpErrorResult?> OwnedSharedRefusalAsync(ImageDbContext db, string imageId, string accountId, CancellationToken ct) =>
        await FindAsync(db, imageId, accountId, ct) switch
        {
            null => ScpErrors.ImageNotFound(imageId),
            { Owned: false } => SharingErrors.NotOwner(),
            { Shared: false } => SharingErrors.NotShared(imageId),
            _ => null,
        };

    // The image as the caller may see it, through the one visibility rule: null when it may not.
    private static async Task<ImageAccess?> FindAsync(ImageDbContext db, string imageId, string accountId, CancellationToken ct) =>
        await db.FindReadableAsync(accountId, imageId, ct) is { } image
            ? new ImageAccess(image.OwnerId == accountId, image.Visibility == ImageVisibility.Shared)
            : null;

    private sealed record ImageAccess(bool Owned, bool Shared);
}
