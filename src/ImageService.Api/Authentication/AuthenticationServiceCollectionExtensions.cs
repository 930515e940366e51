using ImageService.Api.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;

namespace ImageService.Api.Authentication;

internal static class AuthenticationServiceCollectionExtensions
{
    public static IServiceCollection AddScpAuthentication(this IServiceCollection services)
    {
        services.AddOptions<AccessKeyOptions>().BindConfiguration(AccessKeyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AccessKeyStore>();

        // The key ring that encrypts secrets lives beside the database, not in it: a copy of the
        // database alone yields no usable key.
        services.AddDataProtection().SetApplicationName("ImageService");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<DatabaseOptions>, ILoggerFactory>((o, data, loggers) =>
                o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(data.Value.FullDirectory, "keys")), loggers));

        services.AddAuthentication(ScpSignatureHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ScpSignatureHandler>(ScpSignatureHandler.SchemeName, null);
        services.AddSingleton<IAuthorizationHandler, AccountHeaderRequirement>();
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(ScpSignatureHandler.SchemeName)
                .RequireAuthenticatedUser()
                .AddRequirements(new AccountHeaderRequirement())
                .Build());
        return services;
    }
}
