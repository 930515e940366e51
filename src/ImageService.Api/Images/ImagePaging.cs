using ImageService.Api.Data;
using ImageService.Api.Sharing;
using Microsoft.EntityFrameworkCore;

namespace ImageService.Api.Images;

// One page of an account's list: its own images and those shared with it and accepted, each arm
// seeking its own index past the marker, merged and cut to the limit in the same query.
internal static class ImagePaging
{
    // Null when the marker is not an image of this list.
    public static async Task<IReadOnlyList<Image>?> PageAsync(ImageDbContext db, string accountId, ImageListQuery query, CancellationToken ct)
    {
        var owned = query.Filter(db.OwnedBy(accountId));
        var shared = query.Filter(db.SharedWith(accountId, MemberStatus.Accepted));
        if (query.Marker is { } markerId)
        {
            var marker = await db.OwnedBy(accountId).Concat(db.SharedWith(accountId, MemberStatus.Accepted))
                .AsNoTracking().FirstOrDefaultAsync(i => i.Id == markerId, ct);
            if (marker is null)
            {
                return null;
            }

            var after = query.Sort.After(marker);
            owned = owned.Where(after);
            shared = shared.Where(after);
        }

        var sort = query.Sort;
        var merged = sort.Apply(owned).Take(query.Limit).Concat(sort.Apply(shared).Take(query.Limit));
        return await sort.Apply(merged).Take(query.Limit).AsNoTracking().ToListAsync(ct);
    }
}
