using System.Linq.Expressions;
using ImageService.Api.Data;
using ImageService.Api.Wire;
using Microsoft.EntityFrameworkCore;

namespace ImageService.Api.Images;

// The one place that says which images an account can see. Every query that answers "what can this
// account see" starts here, so the rule cannot drift between operations.
internal static class ImageQueries
{
    // Show, download, members, and the checks before every change: the owner, or any member
    // (pending, accepted or rejected) while the image is shared, as in Glance. Anyone else gets
    // 404, so ids leak nothing. The member test names the image id as a parameter rather than
    // correlating with the image row: SQLite runs the correlated form of this query ten times
    // slower.
    private static readonly Expression<Func<ImageDbContext, string, string, IQueryable<Image>>> Readable =
        (db, accountId, imageId) => db.Images.Where(i =>
            i.Id == imageId &&
            (i.OwnerId == accountId ||
             (i.Visibility == ImageVisibility.Shared && db.ImageMembers.Any(m => m.ImageId == imageId && m.MemberId == accountId))));

    // Compiled once: every signed read of one image runs it, and EF Core's per-query translation
    // cost would otherwise exceed the database's own work several times over.
    private static readonly Func<ImageDbContext, string, string, CancellationToken, Task<Image?>> FindReadable =
        EF.CompileAsyncQuery(Expression.Lambda<Func<ImageDbContext, string, string, CancellationToken, Image?>>(
            Expression.Call(typeof(Queryable), nameof(Queryable.FirstOrDefault), [typeof(Image)],
                Expression.Call(typeof(EntityFrameworkQueryableExtensions), nameof(EntityFrameworkQueryableExtensions.AsNoTracking), [typeof(Image)],
                    Readable.Body)),
            [.. Readable.Parameters, Expression.Parameter(typeof(CancellationToken), "ct")]));

    // The image, untracked, when the account may read it; null otherwise.
    public static Task<Image?> FindReadableAsync(this ImageDbContext db, string accountId, string imageId, CancellationToken ct) =>
        FindReadable(db, accountId, imageId, ct);

    // Before a change: the image when the account owns it; otherwise the refusal, 404 when the
    // account may not read the image (ids leak nothing) and 403 when it may read but not change it.
    // doWhat completes "Only the account that owns the image may ...".
    public static async Task<OwnedImage> FindOwnedAsync(
        this ImageDbContext db, string accountId, string imageId, string doWhat, CancellationToken ct)
    {
        var image = await db.FindReadableAsync(accountId, imageId, ct);
        return image switch
        {
            null => new OwnedImage(null, ScpErrors.ImageNotFound(imageId)),
            _ when image.OwnerId != accountId => new OwnedImage(null, ImageErrors.NotOwner(doWhat)),
            _ => new OwnedImage(image, null),
        };
    }

    public static IQueryable<Image> OwnedBy(this ImageDbContext db, string accountId) =>
        db.Images.Where(i => i.OwnerId == accountId);

    // Lists: the owner's images, and images shared with the account whose membership has the given
    // status. Two arms, each on its own index, so a list stays one indexed query however many images
    // other accounts share.
    public static IQueryable<Image> SharedWith(this ImageDbContext db, string accountId, string memberStatus) =>
        from m in db.ImageMembers
        where m.MemberId == accountId && m.Status == memberStatus
        join i in db.Images on m.ImageId equals i.Id
        where i.Visibility == ImageVisibility.Shared && i.OwnerId != accountId
        select i;
}
