using ImageService.Api.Versioning;
using ImageService.Api.Wire;
using ImageService.Protocol.Errors;
using ImageService.Protocol.Images;

namespace ImageService.Api.WebConsole;

// How the console reads what an API handler answered: the value of a success, or the envelope's
// errors, sorted to the form fields they concern.
internal static class ConsoleCalls
{
    // The console speaks the version an unversioned API request gets: the current one.
    public static ApiVersion Version(HttpContext http) =>
        http.RequestServices.GetRequiredService<VersionLifecycle>().CurrentVersion(http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());

    public static T? ValueOf<T>(IResult result)
        where T : class => result is IValueHttpResult { Value: T value } ? value : null;

    // A list in whichever version's shape: every shape's items are show responses.
    public static IReadOnlyList<ImageShowResponse>? ImagesOf(IResult result) => result is IValueHttpResult { Value: { } value }
        ? value switch
        {
            ImageListResponseV1Dot3 list => list.Images,
            ImageListResponseV1Dot2 list => list.Images,
            ImageListResponse list => list.Images,
            _ => null,
        }
        : null;

    public static IReadOnlyList<ScpError> ErrorsOf(IResult result) => result is ScpErrorResult error ? error.Errors : [];

    // The field an error concerns: "invalid_<field>" names it, and every refusal of an import URL
    // (the source policy's url_… codes, or no sources configured) concerns the url, and every
    // member_… refusal the member id. Null: the request as a whole.
    public static string? FieldOf(ScpError error, IReadOnlyCollection<string> fields)
    {
        if (error.Code.StartsWith("url_", StringComparison.Ordinal) || error.Code == "import_sources_not_configured")
        {
            return fields.Contains("url") ? "url" : null;
        }

        if (error.Code.StartsWith("member_", StringComparison.Ordinal))
        {
            return fields.Contains("member_id") ? "member_id" : null;
        }

        var field = error.Code.StartsWith("invalid_", StringComparison.Ordinal) ? error.Code["invalid_".Length..] : null;
        return field is not null && fields.Contains(field) ? field : null;
    }
}
