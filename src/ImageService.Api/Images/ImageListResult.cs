using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Images;

// A page of images, written as TypedResults.Ok writes JSON (200, application/json; charset=utf-8,
// the same bytes) but in one synchronous pass into the response pipe and one flush. Ok streams its
// value and flushes as it goes, and on that path System.Text.Json leaves the generated fast
// serializer for a type once one of its bodies has outgrown the flush threshold, which a
// limit=1000 page (about 850 KB) always does; a synchronous write keeps the fast path, at the cost
// of holding one page's body in the pipe until the flush (docs/benchmarks.md, "Hot paths").
internal sealed class ImageListResult<T>(T value) : IResult, IStatusCodeHttpResult, IValueHttpResult<T>, IValueHttpResult
{
    public T Value => value;

    object? IValueHttpResult.Value => value;

    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var options = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var typeInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        using (var writer = new Utf8JsonWriter(response.BodyWriter, new JsonWriterOptions { Encoder = options.Encoder, SkipValidation = true }))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
