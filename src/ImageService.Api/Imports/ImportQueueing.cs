using ImageService.Api.Imports.Sources;
using ImageService.Api.Wire;

namespace ImageService.Api.Imports;

internal static class ImportQueueing
{
    // A URL outside Import:AllowedSources, or of a refused form, is a 400 before anything is stored.
    public static ScpErrorResult? Refusal(ImportSourcePolicy policy, string url)
    {
        var verdict = policy.Check(url);
        return verdict.IsAllowed ? null : ScpErrors.BadRequest(verdict.Code, verdict.Detail);
    }
}
