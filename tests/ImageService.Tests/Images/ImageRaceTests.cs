using System.Net;
using System.Text.Json.Nodes;
using ImageService.Protocol.Images;
using ImageService.Tests.Data;
using Microsoft.EntityFrameworkCore;

namespace ImageService.Tests.Images;

// updateImage and importImage racing the owner's delete (from another client or node): once the row
// is gone the answer is 404 image_not_found, never a 200 with what no longer exists or a 409 about
// the state the image had before it was deleted; and nothing is left behind.
public sealed class ImageRaceTests : IDisposable
{
    private const int Rounds = 40;

    private readonly RaceInjector _race = new();
    private readonly ImageServiceApp _app;

    public ImageRaceTests() => _app = ImageServiceApp.Create(services: RaceInjector.Register(_race));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UpdateImage_ImageDeletedJustBeforeTheWrite_Returns404()
    {
        using var client = await _app.CreateAccountClientAsync();
        var id = await client.CreateImageAsync();
        // The update and its audit event share one transaction, which holds SQLite's write lock from
        // its start: the delete lands just before it, after the request read the image.
        _race.BeforeTransaction(() => DeleteRowAsync(id));

        using var response = await client.PutAsync($"/v1/images/{id}", ApiJson.Body(new JsonObject { ["min_disk"] = 10 }), Ct);
        using var shown = await client.GetAsync($"/v1/images/{id}", Ct);

        Assert.True(_race.Fired);
        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.NotFound, "image_not_found");
        await ScpAssert.EnvelopeAsync(shown, HttpStatusCode.NotFound, "image_not_found");
    }

    [Fact]
    public async Task ImportImage_ImageDeletedJustBeforeTheImportIsQueued_Returns404AndQueuesNothing()
    {
        using var client = await _app.CreateAccountClientAsync();
        var id = await KilledImageAsync(client);
        _race.BeforeTransaction(() => DeleteRowAsync(id));

        using var response = await client.PostAsync($"/v1/images/{id}/import", ApiJson.Body(new ImageImportRequest(ImageRequests.Url)), Ct);

        Assert.True(_race.Fired);
        await ScpAssert.EnvelopeAsync(response, HttpStatusCode.NotFound, "image_not_found");
        await RaceInjector.RunAsync(_app, async db => Assert.False(await db.ImportJobs.AnyAsync(j => j.ImageId == id, Ct)));
    }

    [Fact]
    public async Task UpdateAndImport_RacingDelete_AnswerSuccessOr404AndLeaveNothing()
    {
        using var client = await _app.CreateAccountClientAsync();
        var answers = new List<(HttpStatusCode Update, HttpStatusCode Import, HttpStatusCode Delete)>();

        for (var round = 0; round < Rounds; round++)
        {
            var id = await KilledImageAsync(client);

            var update = client.PutAsync($"/v1/images/{id}", ApiJson.Body(new JsonObject { ["min_ram"] = round }), Ct);
            var import = client.PostAsync($"/v1/images/{id}/import", ApiJson.Body(new ImageImportRequest(ImageRequests.Url)), Ct);
            var delete = client.DeleteAsync($"/v1/images/{id}", Ct);
            using var updated = await update;
            using var imported = await import;
            using var deleted = await delete;

            answers.Add((updated.StatusCode, imported.StatusCode, deleted.StatusCode));
            foreach (var answer in new[] { updated, imported })
            {
                if (answer.StatusCode == HttpStatusCode.NotFound)
                {
                    await ScpAssert.EnvelopeAsync(answer, HttpStatusCode.NotFound, "image_not_found");
                }
            }
        }

        Assert.All(answers, a => Assert.Contains(a.Update, new[] { HttpStatusCode.OK, HttpStatusCode.NotFound }));
        Assert.All(answers, a => Assert.Contains(a.Import, new[] { HttpStatusCode.Accepted, HttpStatusCode.NotFound }));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NoContent, a.Delete));
        await RaceInjector.RunAsync(_app, async db =>
        {
            Assert.False(await db.Images.AnyAsync(Ct));
            Assert.False(await db.ImportJobs.AnyAsync(Ct));
        });
    }

    public void Dispose() => _app.Dispose();

    // An image whose import failed, so that importImage may queue another: the state every round starts from.
    private async Task<string> KilledImageAsync(HttpClient client)
    {
        var id = await client.CreateImageAsync();
        await RaceInjector.RunAsync(_app, db => db.Images.Where(i => i.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, "killed"), Ct));
        return id;
    }

    private Task DeleteRowAsync(string id) =>
        RaceInjector.RunAsync(_app, db => db.Images.Where(i => i.Id == id).ExecuteDeleteAsync(Ct));
}
