using ImageService.Api.Data;
using ImageService.Api.PendingImages;
using ImageService.Protocol.Images;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ImageService.Api.WebConsole.Pages;

// listPendingImages: images other accounts share with this one, waiting for an answer. Accept and
// reject post to the image page's membership handler.
internal sealed class PendingModel(ImageDbContext db) : PageModel
{
    public IReadOnlyList<ImageShowResponse> Images { get; private set; } = [];

    public string? Done { get; private set; }

    public async Task OnGetAsync(string? done, CancellationToken ct)
    {
        Done = done switch
        {
            "accepted" => "You accepted the image; it is in your list now.",
            "rejected" => "You rejected the image.",
            _ => null,
        };
        Images = ConsoleCalls.ImagesOf(await PendingImagesApi.ListPendingImages(Request, ConsoleCalls.Version(HttpContext), User, db, ct)) ?? [];
    }
}
