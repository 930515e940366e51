using System.CommandLine;
using System.Text.Json;
using ImageService.Protocol;

namespace ImageService.Api.Authentication;

// `keys create|list|revoke`: the operator's way to issue and withdraw access keys. It runs against
// the same configuration and database as the service, and may run while the service does.
internal static class KeysCommand
{
    public static Command Create(IServiceProvider services)
    {
        var keys = new Command("keys", "Create, list and revoke access keys.");
        keys.Subcommands.Add(CreateKey(services));
        keys.Subcommands.Add(ListKeys(services));
        keys.Subcommands.Add(RevokeKey(services));
        return keys;
    }

    private static Command CreateKey(IServiceProvider services)
    {
        var account = new Option<string>("--account") { Description = "The account id the key acts for (1 to 64 of A-Z, a-z, 0-9, '-').", Required = true };
        var accountName = new Option<string>("--account-name") { Description = "The account's display name.", Required = true };
        var userName = new Option<string>("--user-name") { Description = "The user the key belongs to.", Required = true };
        var command = new Command("create", "Create an access key and print it, with its secret, as one JSON object.") { account, accountName, userName };
        command.SetAction(async (parse, ct) =>
        {
            var accountId = parse.GetValue(account)!;
            if (!AccountIds.IsValid(accountId))
            {
                await Console.Error.WriteLineAsync("--account must be 1 to 64 of A-Z, a-z, 0-9 and '-'.");
                return 2;
            }

            var (key, secret) = await services.GetRequiredService<AccessKeyStore>()
                .CreateAsync(accountId, parse.GetValue(accountName)!, parse.GetValue(userName)!, ct);
            Console.WriteLine(JsonSerializer.Serialize(new CreatedKey(key.Id, secret, key.AccountId), ScpJson.Options));
            return 0;
        });
        return command;
    }

    private static Command ListKeys(IServiceProvider services)
    {
        var command = new Command("list", "List access keys as JSON, one object per line; secrets are never shown.");
        command.SetAction(async (parse, ct) =>
        {
            foreach (var key in await services.GetRequiredService<AccessKeyStore>().ListAsync(ct))
            {
                Console.WriteLine(JsonSerializer.Serialize(
                    new ListedKey(key.Id, key.AccountId, key.AccountName, key.UserName,
                        ScpJson.FormatTimestamp(key.CreatedAt), key.RevokedAt is { } r ? ScpJson.FormatTimestamp(r) : null),
                    ScpJson.Options));
            }

            return 0;
        });
        return command;
    }

    private static Command RevokeKey(IServiceProvider services)
    {
        var accessKey = new Argument<string>("access-key") { Description = "The access key to revoke." };
        var command = new Command("revoke", "Revoke an access key; requests signed with it fail from then on.") { accessKey };
        command.SetAction(async (parse, ct) =>
        {
            var revoked = await services.GetRequiredService<AccessKeyStore>().RevokeAsync(parse.GetValue(accessKey)!, ct);
            if (!revoked)
            {
                await Console.Error.WriteLineAsync("No active access key has that id.");
                return 1;
            }

            return 0;
        });
        return command;
    }

    private sealed record CreatedKey(string AccessKey, string SecretKey, string AccountId);

    private sealed record ListedKey(string AccessKey, string AccountId, string AccountName, string UserName, string CreatedAt, string? RevokedAt);
}
