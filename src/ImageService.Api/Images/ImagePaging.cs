using ImageService.Api.Data;
using ImageService.Api.Sharing;
using Microsoft.EntityFrameworkCore;

namespace ImageService.Api.Images;

// One page of an account's list: its own images and those shared with it and accepted, each arm
// seeking its own index past the marker, merged and cut to the limit in the same query. Most
// accounts have nothing shared with them; for those the shared arm is left out, and the page is
// one plain range read of the owner's index (SQLite runs it about three times faster than the
// union). The marker's sort values are read inside the page's own statement, so a page after a
// marker costs what the first page costs (docs/scale.md).
internal static class ImagePaging
{
    private static readonly Func<ImageDbContext, string, CancellationToken, Task<bool>> HasAcceptedShares =
        EF.CompileAsyncQuery((ImageDbContext db, string accountId, CancellationToken ct) =>
            db.ImageMembers.Any(m => m.MemberId == accountId && m.Status == MemberStatus.Accepted));

    private static readonly Func<ImageDbContext, string, string, CancellationToken, Task<bool>> IsListed =
        EF.CompileAsyncQuery((ImageDbContext db, string accountId, string markerId, CancellationToken ct) =>
            db.Images.Any(i => i.Id == markerId &&
                               (i.OwnerId == accountId ||
                                (i.Visibility == ImageVisibility.Shared &&
                                 db.ImageMembers.Any(m => m.ImageId == markerId && m.MemberId == accountId && m.Status == MemberStatus.Accepted)))));

    // Null when the marker is not an image of this list. A marker that is not there makes the page
    // empty, so only an empty page asks whether it was.
    public static async Task<IReadOnlyList<Image>?> PageAsync(ImageDbContext db, string accountId, ImageListQuery query, CancellationToken ct)
    {
        var withShared = await HasAcceptedShares(db, accountId, ct);
        var page = await PageQuery(db, accountId, query, withShared).AsNoTracking().ToListAsync(ct);
        if (page.Count == 0 && query.Marker is { } markerId && !await IsListed(db, accountId, markerId, ct))
        {
            return null;
        }

        return page;
    }

    // The page's query, without running it (the query-plan tests explain exactly this statement).
    internal static IQueryable<Image> PageQuery(ImageDbContext db, string accountId, ImageListQuery query, bool withShared)
    {
        var owned = query.Filter(db.OwnedBy(accountId));
        var shared = query.Filter(db.SharedWith(accountId, MemberStatus.Accepted));
        if (query.Marker is { } markerId)
        {
            // The marker as this list may show it: the caller's own image, or one shared with it and
            // accepted. Its id is the parameter, not the row being filtered, so the subquery is read
            // once per statement (see ImageQueries.Readable).
            var marker = db.Images.Where(i => i.Id == markerId &&
                (i.OwnerId == accountId ||
                 (i.Visibility == ImageVisibility.Shared &&
                  db.ImageMembers.Any(m => m.ImageId == markerId && m.MemberId == accountId && m.Status == MemberStatus.Accepted))));
            var after = query.Sort.After(marker, markerId, query.FixedValueOf(query.Sort.Parts[0].Key));
            owned = owned.Where(after);
            shared = shared.Where(after);
        }

        var sort = query.Sort;
        if (!withShared)
        {
            return sort.Apply(owned).Take(query.Limit);
        }

        var merged = sort.Apply(owned).Take(query.Limit).Concat(sort.Apply(shared).Take(query.Limit));
        return sort.Apply(merged).Take(query.Limit);
    }
}
