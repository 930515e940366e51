using System.Security.Cryptography.X509Certificates;
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
    public static IServiceCollection AddScpAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccessKeyOptions>().BindConfiguration(AccessKeyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AccessKeyStore>();
        services.AddKeyRing(configuration);

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

    // One node keeps the ring in files beside its SQLite database, not in it: a copy of the
    // database alone yields no usable key. Several nodes must share one ring, and the database is
    // the one thing they all share; a certificate, when configured, keeps the ring encrypted there.
    private static void AddKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName("ImageService");
        if (DatabaseOptions.IsPostgresIn(configuration))
        {
            dataProtection.PersistKeysToDbContext<ImageDbContext>();
        }
        else
        {
            services.AddOptions<KeyManagementOptions>()
                .Configure<IOptions<DatabaseOptions>, ILoggerFactory>((o, data, loggers) =>
                    o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(data.Value.FullDirectory, "keys")), loggers));
        }

        var ring = configuration.GetSection(KeyRingOptions.Section).Get<KeyRingOptions>() ?? new KeyRingOptions();
        if (!string.IsNullOrEmpty(ring.CertificatePath))
        {
            // Held for the life of the process: the ring encrypts new keys and decrypts stored ones with it.
            dataProtection.ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(ring.CertificatePath, ring.CertificatePassword));
        }
    }
}
