using System.CommandLine;
using ImageService.Protocol;
using ImageService.Protocol.Images;
using Spectre.Console;

namespace ImageService.Cli;

// `imagectl configure`: saves a profile in the config file. Each setting comes from its flag or
// environment variable, else stays as the profile had it, else is asked for on a terminal (the
// secret without echo). The key is tried against the service first (one signed list of one
// image), unless --no-verify, so a mistyped secret shows now rather than on the next command.
// The secret is never printed.
internal static class ConfigureCommand
{
    public static Command Create(Cli cli)
    {
        var command = new CliCommand("configure",
            "Save an endpoint, access key, secret key, account and API version as a named profile, in a file only you can read.",
            "imagectl configure",
            "SCP_SECRET_KEY=… imagectl configure --profile b --endpoint http://127.0.0.1:8080 --access-key AK… --account-id acct-b");
        var noVerify = new Option<bool>("--no-verify") { Description = "Save the profile without trying the key against the service." };
        command.Options.Add(noVerify);
        command.SetAction(cli.Run(call => ConfigureAsync(call, call.Get(noVerify))));
        return command;
    }

    private static async Task<int> ConfigureAsync(Invocation call, bool noVerify)
    {
        var cli = call.Cli;
        var context = call.Context;
        var (name, _) = Connection.ProfileName(cli, call.Parse);
        var file = ProfileFile.Locate(context);
        var profiles = file.Load(context.Error);
        var old = profiles.GetValueOrDefault(name) ?? new Profile();
        var prompt = context.InIsTerminal ? Output.CreateConsole(context.Error, terminal: true) : null;

        var profile = new Profile
        {
            Endpoint = Value(cli.Endpoint, Connection.EndpointVariable) ?? old.Endpoint ?? Ask("Endpoint (e.g. http://127.0.0.1:8080)"),
            AccessKey = Value(cli.AccessKey, Connection.AccessKeyVariable) ?? old.AccessKey ?? Ask("Access key"),
            SecretKey = Value(cli.SecretKey, Connection.SecretKeyVariable) ?? old.SecretKey ?? Ask("Secret key", secret: true),
            AccountId = Value(cli.AccountId, Connection.AccountIdVariable) ?? old.AccountId,
            ApiVersion = Value(cli.ApiVersion, Connection.ApiVersionVariable) ?? old.ApiVersion,
        };
        string[] missing =
        [
            .. profile.Endpoint is null ? ["--endpoint"] : Array.Empty<string>(),
            .. profile.AccessKey is null ? ["--access-key"] : Array.Empty<string>(),
            .. profile.SecretKey is null ? ["a secret key (SCP_SECRET_KEY, or type it on a terminal)"] : Array.Empty<string>(),
        ];
        if (missing.Length > 0)
        {
            throw new CliException(ExitCodes.Usage, $"The profile '{name}' needs {string.Join(", ", missing)}.");
        }

        var endpoint = Connection.ParseEndpoint(profile.Endpoint!);
        if (!noVerify)
        {
            await VerifyAsync(call, new Connection(endpoint, new ScpCredentials(profile.AccessKey!, profile.SecretKey!, profile.AccountId ?? ""),
                profile.ApiVersion ?? ImageServiceClient.DefaultApiVersion));
        }

        profiles[name] = profile;
        file.Save(profiles);
        context.Out.WriteLine($"Saved profile '{name}' to {file.Path}: endpoint {profile.Endpoint}, access key {profile.AccessKey}, secret key set"
            + (noVerify ? " (not checked)." : ", checked against the service."));
        return ExitCodes.Ok;

        string? Value(Option<string?> option, string variable) =>
            call.Get(option) is { Length: > 0 } flag ? flag.Trim()
            : context.Environment(variable) is { Length: > 0 } env ? env.Trim()
            : null;

        string? Ask(string question, bool secret = false)
        {
            if (prompt is null)
            {
                return null;
            }

            var text = new TextPrompt<string>($"{Markup.Escape(question)}:");
            return prompt.Prompt(secret ? text.Secret() : text).Trim();
        }
    }

    private static async Task VerifyAsync(Invocation call, Connection connection)
    {
        const string NotSaved = "The profile was not saved; fix it, or save it unchecked with --no-verify.";
        using var http = connection.CreateHttpClient(call.Context);
        try
        {
            await new ImageServiceClient(http).ListImagesAsync(new ImageListFilter { Limit = 1 }, call.Cancellation);
        }
        catch (ScpApiException e) when (e.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            throw new CliException(ExitCodes.Auth,
                $"{connection.Endpoint} refused the key ({(int)e.StatusCode}): check the access key, the secret key, the account id and this machine's clock. {NotSaved}");
        }
        catch (HttpRequestException e)
        {
            throw new CliException(ExitCodes.Server, $"could not reach {connection.Endpoint} to check the key: {e.Message} {NotSaved}");
        }
    }
}
