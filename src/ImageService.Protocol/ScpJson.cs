using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImageService.Protocol;

/// <summary>The one JSON configuration shared by the service, the CLI and the tests.</summary>
public static class ScpJson
{
    /// <summary>
    /// snake_case names; every property written, nulls included, because SCP clients check that the
    /// schema's keys are present.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the SCP settings to an options instance the framework owns.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.PropertyNameCaseInsensitive = false;
        options.AllowDuplicateProperties = false;
        options.RespectNullableAnnotations = false;
        return options;
    }

    /// <summary>Formats a timestamp as SCP does: RFC 3339, UTC, <c>Z</c>, whole seconds.</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
