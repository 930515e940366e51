using ImageService.Protocol.Audit;

namespace ImageService.Tests.Audit;

public static class AuditEvents
{
    // One page of the caller's trail through the extension endpoint.
    public static async Task<IReadOnlyList<AuditEventResponse>> AuditAsync(this HttpClient client, string query = "")
    {
        using var response = await client.GetAsync("/v1/audit-events" + query, TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadAsync<AuditEventListResponse>()).AuditEvents;
    }

    public static string[] Operations(this IEnumerable<AuditEventResponse> events) => events.Select(e => e.Operation).ToArray();
}
