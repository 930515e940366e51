namespace ImageService.Protocol;

/// <summary>What a client needs to sign requests.</summary>
/// <param name="AccessKey">The access key id.</param>
/// <param name="SecretKey">The secret key; never printed.</param>
/// <param name="AccountId">The account to act in, sent as <c>Scp-AccountId</c>; may be empty.</param>
public sealed record ScpCredentials(string AccessKey, string SecretKey, string AccountId = "")
{
    /// <summary>Keeps the secret out of logs and debugger views.</summary>
    public override string ToString() => $"ScpCredentials {{ AccessKey = {AccessKey}, AccountId = {AccountId} }}";
}
