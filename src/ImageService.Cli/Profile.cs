namespace ImageService.Cli;

// One named set of connection settings in the config file; null means "not set here".
internal sealed record Profile
{
    public string? Endpoint { get; init; }

    public string? AccessKey { get; init; }

    public string? SecretKey { get; init; }

    public string? AccountId { get; init; }

    public string? ApiVersion { get; init; }

    // A record prints every property; this one must never print the secret.
    public override string ToString() => $"Profile {{ Endpoint = {Endpoint}, AccessKey = {AccessKey}, AccountId = {AccountId}, ApiVersion = {ApiVersion} }}";
}
