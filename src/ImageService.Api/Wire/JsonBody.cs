using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using ImageService.Protocol;

namespace ImageService.Api.Wire;

// Binds a JSON request body and turns every way it can be wrong into an envelope the handler
// returns: wrong content type 415, too large 413, not JSON or not the schema's types 400. The
// framework's own body binding answers those with an empty 400 and no field name.
internal sealed class JsonBody<T>
    where T : class
{
    // SCP request bodies are a few hundred bytes; anything near this is not a real client.
    public const int MaxBytes = 64 * 1024;

    private JsonBody(T? value, ScpErrorResult? error)
    {
        Value = value;
        Error = error;
    }

    // A handler returns Error when this is true and reads Value otherwise; the compiler checks both.
    [MemberNotNullWhen(true, nameof(Error))]
    [MemberNotNullWhen(false, nameof(Value))]
    public bool Failed => Error is not null;

    public T? Value { get; }

    public ScpErrorResult? Error { get; }

    // A body already read by another front end (the web console's forms), for the same handler.
    public static JsonBody<T> Of(T value) => new(value, null);

    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            return new JsonBody<T>(null, ScpErrors.UnsupportedMediaType());
        }

        if (request.ContentLength > MaxBytes)
        {
            return TooLarge();
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBytes + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= MaxBytes &&
                   (read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxBytes + 1 - length), context.RequestAborted)) > 0)
            {
                length += read;
            }

            if (length > MaxBytes)
            {
                return TooLarge();
            }

            var value = JsonSerializer.Deserialize<T>(buffer.AsSpan(0, length), ScpJson.Options);
            return value is null
                ? Fail(StatusCodes.Status400BadRequest, "invalid_body", "The body must be a JSON object.")
                : new JsonBody<T>(value, null);
        }
        catch (JsonException e)
        {
            return Fail(StatusCodes.Status400BadRequest, Code(e), Describe(e));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static JsonBody<T> TooLarge() => new(null, ScpErrors.PayloadTooLarge($"The body must be at most {MaxBytes} bytes."));

    private static JsonBody<T> Fail(int status, string code, string detail) => new(null, ScpErrors.Of(status, code, detail));

    private static bool IsUnknownField(JsonException e) =>
        e.Message.Contains("could not be mapped", StringComparison.Ordinal);

    private static string Code(JsonException e) => IsUnknownField(e) ? "unknown_field" : "invalid_body";

    // JsonException messages name .NET types; say the same thing in the API's own terms.
    private static string Describe(JsonException e)
    {
        var path = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? null : e.Path;
        if (IsUnknownField(e))
        {
            var field = path?.TrimStart('$', '.') ?? "(unnamed)";
            return $"The field '{ScpErrors.Quote(field)}' is not part of this request; remove it.";
        }

        return path is null
            ? "The body is not valid JSON for this operation."
            : $"The value at {ScpErrors.Quote(path)} is not valid JSON of the expected type.";
    }
}
