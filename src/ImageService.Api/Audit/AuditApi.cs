using System.Security.Claims;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Api.Versioning;
using ImageService.Api.Wire;
using ImageService.Protocol.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ImageService.Api.Audit;

// The caller's own audit trail: an extension to the SCP surface (docs/audit.md).
internal static class AuditApi
{
    public static IServiceCollection AddAuditTrail(this IServiceCollection services)
    {
        services.AddOptions<AuditOptions>().BindConfiguration(AuditOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    public static RouteGroupBuilder MapAuditEvents(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/audit-events").RequireAuthorization().WithVersions().WithTags("Audit (an extension)");
        group.MapGet("", ListAuditEvents).WithName("listAuditEvents")
            .WithSummary("List the caller's audit events, newest first (an addition to the SCP API)")
            .WithDescription("Not part of SCP: every change the account made (and imports the service ran for it), keyset-paged by " +
                             "marker (the last event id of the previous page), filtered by image_id and by time (since, until; RFC 3339).");
        return group;
    }

    internal static async Task<Results<Ok<AuditEventListResponse>, ScpErrorResult>> ListAuditEvents(
        HttpRequest request, ClaimsPrincipal caller, ImageDbContext db, CancellationToken ct)
    {
        var query = AuditQuery.Parse(request.Query, out var problems);
        if (query is null)
        {
            return ScpErrors.Invalid(problems);
        }

        return await PageAsync(db, caller.GetAccountId(), query, ct) is { } page
            ? TypedResults.Ok(page)
            : ScpErrors.BadRequest(AuditQuery.InvalidMarker, AuditQuery.InvalidMarkerDetail);
    }

    // One page of an account's events, newest first; null when the marker is not one of its events.
    // The console's image page reads its history through this too.
    internal static async Task<AuditEventListResponse?> PageAsync(ImageDbContext db, string accountId, AuditQuery query, CancellationToken ct)
    {
        var events = query.Filter(db.AuditEvents.AsNoTracking().Where(e => e.AccountId == accountId));
        if (query.Marker is { } markerId)
        {
            var marker = await db.AuditEvents.AsNoTracking()
                .Where(e => e.Id == markerId && e.AccountId == accountId)
                .Select(e => new { e.OccurredAt, e.Id })
                .FirstOrDefaultAsync(ct);
            if (marker is null)
            {
                return null;
            }

            events = events.Where(e => e.OccurredAt < marker.OccurredAt || (e.OccurredAt == marker.OccurredAt && e.Id < marker.Id));
        }

        var page = await events.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Take(query.Limit).ToListAsync(ct);
        return new AuditEventListResponse(page.Select(e => new AuditEventResponse(
            e.Id, ImageMapping.Timestamp(e.OccurredAt), e.AccountId, e.UserName, e.AccessKey, e.Operation, e.ImageId, e.Outcome, e.Detail,
            e.CallerAddress)).ToArray());
    }
}
