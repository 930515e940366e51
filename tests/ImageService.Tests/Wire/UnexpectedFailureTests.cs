using System.Net;
using ImageService.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Wire;

// docs/errors.md: an unexpected failure (500) is the envelope too, with a correlation id and nothing
// internal. The outage is real: the images table is dropped under a running app.
public sealed class UnexpectedFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListImages_DatabaseFails_Returns500EnvelopeWithoutInternals()
    {
        using var app = ImageServiceApp.Create();
        using var client = await app.CreateAccountClientAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ImageDbContext>().Database.ExecuteSqlRawAsync("DROP TABLE image_members; DROP TABLE import_jobs; DROP TABLE images;", Ct);
        }

        using var response = await client.GetAsync("/v1/images", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.InternalServerError, "internal_error");
        ScpAssert.AnsweredBy(response, "1.3");
        Assert.Matches("correlation id [0-9a-f]{32}", body);
        foreach (var leak in new[] { "SQLite", "images", "SELECT", "   at ", app.DataDirectory, Environment.MachineName })
        {
            Assert.DoesNotContain(leak, body, StringComparison.OrdinalIgnoreCase);
        }
    }
}
