namespace ImageService.Tests.Sharing;

// One account in a sharing test: its id (what member_id names) and a client that signs as it.
public sealed record Party(string AccountId, HttpClient Client) : IDisposable
{
    public static async Task<Party> CreateAsync(ImageServiceApp app, string role, string? apiVersion = "1.3")
    {
        var accountId = $"acct-{role}-{Guid.NewGuid().ToString("N")[..8]}";
        var credentials = await app.CreateAccountAsync(accountId);
        return new Party(accountId, app.CreateSignedClient(credentials, apiVersion));
    }

    public void Dispose() => Client.Dispose();
}
