using ImageService.Api.Imports;
using ImageService.Api.Imports.Sources;

namespace ImageService.Api.Quotas;

// What an import may write: Cap bytes, or nothing (Refusal). Use is set when the account's quota,
// not Import:MaxImageBytes, set the cap, so that passing it reads as quota_exceeded.
internal sealed record ImportAllowance(long Cap, QuotaUse? Use, SourceFailure? Refusal)
{
    public static ImportAllowance Granted(long cap, QuotaUse? use) => new(cap, use, null);

    public static ImportAllowance Refused(string detail) => new(0, null, new SourceFailure(QuotaErrors.Code, detail));

    // A copy stopped at the cap ran into the quota when the quota set the cap.
    public SourceFailure Failure(CopyOutcome outcome) =>
        outcome.Code == ImportSourceCodes.SourceTooLarge && Use is { } use
            ? new SourceFailure(QuotaErrors.Code, QuotaErrors.BytesDetail(use, null))
            : new SourceFailure(outcome.Code!, outcome.Detail!);
}
