using System.Globalization;
using ImageService.Api.Wire;
using ImageService.Protocol;
using ImageService.Protocol.Images;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace ImageService.Api.Imports;

// X-Image-Checksum and X-Image-Size (docs/imports.md, "Expected checksum"): headers, as Glance's
// x-openstack-image-size is, so that the SCP request bodies stay exactly as the spec says. A value
// that cannot be checked is refused at once, before anything is stored.
internal static class ExpectedDataHeaders
{
    public const string InvalidChecksum = "invalid_checksum";
    public const string InvalidSize = "invalid_size";

    // Null with the expectation (nothing expected when neither header is sent), or the 400. The
    // limit is read here, as AuditTrail reads the clock: every handler that takes the headers (and
    // the web console's pages that call those handlers) would otherwise take the options only to pass them.
    public static ScpErrorResult? Read(HttpContext http, out ExpectedImageData? expected)
    {
        expected = null;
        var request = http.Request;
        var maxImageBytes = http.RequestServices.GetRequiredService<IOptionsMonitor<ImportOptions>>().CurrentValue.MaxImageBytes;
        var checksumHeader = request.Headers[ScpHeaders.ImageChecksum];
        var sizeHeader = request.Headers[ScpHeaders.ImageSize];
        ImageChecksum? checksum = null;
        if (checksumHeader.Count > 0 && (checksumHeader.Count > 1 || !ImageChecksum.TryParse(checksumHeader[0]?.Trim(), out checksum)))
        {
            return ScpErrors.BadRequest(InvalidChecksum, $"{ScpHeaders.ImageChecksum} must be one value: {ImageChecksum.Format}.");
        }

        long? size = null;
        if (sizeHeader.Count > 0)
        {
            // Digits only: no sign, no spaces inside, no hex; as RFC 9110 §8.6 reads Content-Length.
            var text = sizeHeader.Count == 1 ? sizeHeader[0]?.Trim() ?? "" : "";
            if (text.Length is 0 or > 19 || !text.All(char.IsAsciiDigit)
                || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed > maxImageBytes)
            {
                return ScpErrors.BadRequest(InvalidSize,
                    $"{ScpHeaders.ImageSize} must be one decimal number of bytes, at most this service's limit of {maxImageBytes} (Import:MaxImageBytes).");
            }

            size = parsed;
        }

        expected = checksum is null && size is null ? null : new ExpectedImageData(checksum, size);
        return null;
    }

    // The expectation a job row carries, for the node that runs it.
    public static ExpectedImageData? Of(ImportJob job) =>
        job.ExpectedChecksum is null && job.ExpectedSize is null
            ? null
            : new ExpectedImageData(ImageChecksum.TryParse(job.ExpectedChecksum, out var checksum) ? checksum : null, job.ExpectedSize);

    // Describes the two headers in the OpenAPI document of an operation that reads them.
    public static TBuilder WithExpectedDataHeaders<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(Header(ScpHeaders.ImageChecksum,
                $"An extension: the checksum the data must have, {ImageChecksum.Format}. A mismatch ends the import killed with checksum_mismatch."));
            operation.Parameters.Add(Header(ScpHeaders.ImageSize,
                "An extension: the size in bytes the data must have. A mismatch ends the import killed with size_mismatch."));
            return Task.CompletedTask;
        });

    private static OpenApiParameter Header(string name, string description) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = false,
        Description = description,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
