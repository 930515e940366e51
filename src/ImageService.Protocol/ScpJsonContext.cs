using System.Text.Json;
using System.Text.Json.Serialization;
using ImageService.Protocol.Images;

namespace ImageService.Protocol;

// The image records, the bodies of the hot reads (show, and lists of up to 1,000 images), with
// serializers generated at build time. Its settings are ScpJson's, so System.Text.Json takes the
// generated fast path (straight writes, no per-property metadata walk and no asynchronous flush in
// the middle of a body) for these types, and the reflection resolver stays behind it for the rest.
// A limit=1000 list spent about a fifth of its CPU in the reflection serializer (docs/benchmarks.md).
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.Strict,
    PropertyNameCaseInsensitive = false,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = false)]
[JsonSerializable(typeof(ImageShowResponse))]
[JsonSerializable(typeof(ImageShowResponseV1Dot2))]
[JsonSerializable(typeof(ImageListItemV1Dot3))]
[JsonSerializable(typeof(ImageListResponse))]
[JsonSerializable(typeof(ImageListResponseV1Dot2))]
[JsonSerializable(typeof(ImageListResponseV1Dot3))]
internal sealed partial class ScpJsonContext : JsonSerializerContext;
