using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Api.PendingImages;
using ImageService.Api.Sharing;
using ImageService.Protocol.Images;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace ImageService.Api.WebConsole.Pages;

// The images other accounts share with this one and it accepted: the shared arm of listImages
// (ImageQueries.SharedWith), newest first, as many as the pending list shows.
internal sealed class SharedModel(ImageDbContext db) : PageModel
{
    public IReadOnlyList<ImageShowResponse> Images { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var version = ConsoleCalls.Version(HttpContext);
        var images = await db.SharedWith(User.GetAccountId(), MemberStatus.Accepted)
            .OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id)
            .Take(PendingImagesApi.MaxImages).AsNoTracking().ToListAsync(ct);
        Images = images.Select(i => i.ToShowResponse(version, User.GetAccountId())).ToArray();
    }
}
