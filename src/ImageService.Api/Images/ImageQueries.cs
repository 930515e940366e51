using ImageService.Api.Data;

namespace ImageService.Api.Images;

// The one place that says which images an account can see. Every query that answers "what can this
// account see" starts here, so the rule cannot drift between operations.
internal static class ImageQueries
{
    // Show, download, members: the owner, or any member (pending, accepted or rejected) while the
    // image is shared, as in Glance. Anyone else gets 404, so ids leak nothing.
    public static IQueryable<Image> ReadableBy(this ImageDbContext db, string accountId) =>
        db.Images.Where(i => i.OwnerId == accountId ||
                             (i.Visibility == ImageVisibility.Shared &&
                              db.ImageMembers.Any(m => m.ImageId == i.Id && m.MemberId == accountId)));

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
