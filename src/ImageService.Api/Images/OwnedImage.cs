using System.Diagnostics.CodeAnalysis;
using ImageService.Api.Wire;

namespace ImageService.Api.Images;

// The answer to "may this account change this image?": the image, or the refusal to return.
internal sealed record OwnedImage(Image? Image, ScpErrorResult? Refusal)
{
    [MemberNotNullWhen(true, nameof(Image))]
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsOwned => Image is not null;
}
