namespace ImageService.Api.Observability;

// Every instrument of the service lives on one meter, so that one AddMeter exports them all. The
// instruments and their Prometheus names are listed in docs/operations.md.
internal static class ImageServiceMeter
{
    public const string Name = "ImageService";
}
