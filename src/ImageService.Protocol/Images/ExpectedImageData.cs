using System.Globalization;
using System.Net.Http.Headers;

namespace ImageService.Protocol.Images;

/// <summary>
/// What a caller says an image's data is, sent as the <see cref="ScpHeaders.ImageChecksum"/> and
/// <see cref="ScpHeaders.ImageSize"/> headers so that the SCP request bodies stay exactly as the spec says.
/// </summary>
/// <param name="Checksum">The expected digest; null checks none.</param>
/// <param name="Size">The expected length in bytes; null checks none.</param>
public sealed record ExpectedImageData(ImageChecksum? Checksum, long? Size)
{
    /// <summary>Adds the headers for what is set.</summary>
    /// <param name="headers">A request's headers.</param>
    public void AddTo(HttpRequestHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (Checksum is not null)
        {
            headers.Add(ScpHeaders.ImageChecksum, Checksum.ToString());
        }

        if (Size is { } size)
        {
            headers.Add(ScpHeaders.ImageSize, size.ToString(CultureInfo.InvariantCulture));
        }
    }
}
