using System.Security.Claims;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Versioning;
using ImageService.Protocol.Quotas;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImageService.Api.Quotas;

// Per-account quotas (docs/quotas.md): the options, the checks, and the caller's view of its own
// use, an extension to the SCP surface.
internal static class QuotaApi
{
    public static IServiceCollection AddAccountQuotas(this IServiceCollection services)
    {
        services.AddOptions<QuotaOptions>().BindConfiguration(QuotaOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AccountQuotas>();
        return services;
    }

    public static RouteGroupBuilder MapQuota(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/quota").RequireAuthorization().WithVersions().WithTags("Quota (an extension)");
        group.MapGet("", ShowQuota).WithName("showQuota")
            .WithSummary("Show the caller's quotas and use (an addition to the SCP API)")
            .WithDescription("Not part of SCP: images owned and bytes stored or being imported, against the account's limits (null is unlimited).");
        return group;
    }

    internal static async Task<Ok<QuotaResponse>> ShowQuota(ClaimsPrincipal caller, ImageDbContext db, AccountQuotas quotas, CancellationToken ct)
    {
        var accountId = caller.GetAccountId();
        return TypedResults.Ok((await quotas.ReadAsync(db, accountId, ct)).ToResponse(accountId));
    }

    public static QuotaResponse ToResponse(this QuotaUse use, string accountId) => new(
        accountId,
        new QuotaImages(use.Images, use.MaxImages),
        new QuotaBytes(use.Bytes, use.StoredBytes, use.ImportingBytes, use.MaxBytes));
}
