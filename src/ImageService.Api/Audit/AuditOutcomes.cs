namespace ImageService.Api.Audit;

// Only changes that happened are recorded (docs/audit.md says why refusals are not): a request's
// change succeeded; an import the worker ran ends succeeded or failed.
internal static class AuditOutcomes
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
