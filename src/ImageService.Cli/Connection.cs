using System.CommandLine;
using ImageService.Protocol;

namespace ImageService.Cli;

// Where and as whom to call: each setting from its flag, else its environment variable, else the
// profile in the config file.
internal sealed record Connection(Uri Endpoint, ScpCredentials Credentials, string ApiVersion)
{
    public const string EndpointVariable = "SCP_ENDPOINT";
    public const string AccessKeyVariable = "SCP_ACCESS_KEY";
    public const string SecretKeyVariable = "SCP_SECRET_KEY";
    public const string AccountIdVariable = "SCP_ACCOUNT_ID";
    public const string ApiVersionVariable = "SCP_API_VERSION";
    public const string ProfileVariable = "IMAGECTL_PROFILE";

    public static readonly IReadOnlyList<(string Name, string Meaning)> Variables =
    [
        (EndpointVariable, "the service endpoint (--endpoint)"),
        (AccessKeyVariable, "the access key id (--access-key)"),
        (SecretKeyVariable, "the secret key (--secret-key)"),
        (AccountIdVariable, "the account to act in (--account-id)"),
        (ApiVersionVariable, "the API version, X.Y (--api-version)"),
        (ProfileVariable, "the profile of the config file (--profile)"),
        ("XDG_CONFIG_HOME", "where the config file lives: $XDG_CONFIG_HOME/imagectl/config.json, else ~/.config/imagectl/config.json"),
    ];

    public static Connection Resolve(Cli cli, ParseResult parse)
    {
        var context = cli.Context;
        var (name, named) = ProfileName(cli, parse);
        var file = ProfileFile.Locate(context);
        var profile = file.Load(context.Error).GetValueOrDefault(name);
        if (profile is null && named)
        {
            throw new CliException(ExitCodes.Usage, $"There is no profile '{name}' in {file.Path}; create it with: imagectl configure --profile {name}");
        }

        profile ??= new Profile();
        var endpoint = Pick(cli.Endpoint, EndpointVariable, profile.Endpoint)
            ?? throw Missing("endpoint", "--endpoint", EndpointVariable);
        var accessKey = Pick(cli.AccessKey, AccessKeyVariable, profile.AccessKey)
            ?? throw Missing("access key", "--access-key", AccessKeyVariable);
        var secretKey = Pick(cli.SecretKey, SecretKeyVariable, profile.SecretKey)
            ?? throw Missing("secret key", "--secret-key", SecretKeyVariable);
        var accountId = Pick(cli.AccountId, AccountIdVariable, profile.AccountId) ?? "";
        var apiVersion = Pick(cli.ApiVersion, ApiVersionVariable, profile.ApiVersion) ?? ImageServiceClient.DefaultApiVersion;
        return new Connection(ParseEndpoint(endpoint), new ScpCredentials(accessKey, secretKey, accountId), apiVersion);

        string? Pick(Option<string?> option, string variable, string? fromProfile) =>
            NonEmpty(parse.GetValue(option)) ?? NonEmpty(context.Environment(variable)) ?? NonEmpty(fromProfile);
    }

    public static (string Name, bool Named) ProfileName(Cli cli, ParseResult parse)
    {
        var name = NonEmpty(parse.GetValue(cli.Profile)) ?? NonEmpty(cli.Context.Environment(ProfileVariable));
        return (name ?? ProfileFile.DefaultProfile, name is not null);
    }

    public static Uri ParseEndpoint(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new CliException(ExitCodes.Usage, $"The endpoint must be an http or https URL, such as http://127.0.0.1:8080; got '{endpoint}'.");

    // HttpClient's timeout runs until the answer's headers, so a call whose request body is an image
    // (an upload) would be cut off after 100 s however steadily it sends: such a caller passes
    // Timeout.InfiniteTimeSpan and relies on Ctrl+C instead.
    public HttpClient CreateHttpClient(CliContext context, TimeSpan? timeout = null)
    {
        var signing = new ScpSigningHandler(Credentials, ApiVersion, context.Time) { InnerHandler = context.CreateHttpHandler() };
        var http = new HttpClient(signing) { BaseAddress = Endpoint };
        if (timeout is { } limit)
        {
            http.Timeout = limit;
        }

        http.DefaultRequestHeaders.UserAgent.ParseAdd($"imagectl/{typeof(Connection).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"}");
        return http;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static CliException Missing(string what, string flag, string variable) =>
        new(ExitCodes.Usage, $"No {what}: pass {flag}, set {variable}, or save a profile with 'imagectl configure'.");
}
