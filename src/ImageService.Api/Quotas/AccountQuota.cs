namespace ImageService.Api.Quotas;

// One row per account that ever created an image or was given limits. The row is what concurrent
// creates of one account lock (docs/quotas.md); its limits, when set, override Quotas:*.
internal sealed class AccountQuota
{
    public required string AccountId { get; init; }

    public long? MaxImages { get; set; }

    public long? MaxBytes { get; set; }
}
