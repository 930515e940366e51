using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ImageService.Api.Storage;
using ImageService.Protocol;
using ImageService.Protocol.Images;
using ImageService.Protocol.Imports;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Imports;

// The service with its import worker on, allowed to fetch from a local Object Storage server.
public sealed class ImportFixture : IAsyncLifetime
{
    public ObjectStorageServer Storage { get; private set; } = null!;

    public ImageServiceApp App { get; private set; } = null!;

    public DiskImages Disks { get; } = new();

    public async ValueTask InitializeAsync()
    {
        Storage = await ObjectStorageServer.StartAsync();
        App = ImageServiceApp.Create(settings: Settings(Storage));
        _ = App.Server;
    }

    public static Dictionary<string, string?> Settings(ObjectStorageServer storage, long maxImageBytes = 1L << 30) => new()
    {
        ["Import:RunWorker"] = "true",
        ["Import:AllowedSources:1"] = storage.BaseUri.ToString(),
        ["Import:PollInterval"] = "00:00:00.200",
        ["Import:LeaseDuration"] = "00:00:02",
        ["Import:ReadIdleTimeout"] = "00:00:05",
        ["Import:MaxImageBytes"] = maxImageBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Storage.DisposeAsync();
        Disks.Dispose();
    }
}

public static class ImportWaits
{
    // Imports finish in the background: poll show until the image leaves "importing".
    public static async Task<ImageShowResponseV1Dot2> WaitForImportAsync(this HttpClient client, string imageId, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var image = (await client.GetFromJsonAsync<ImageShowResponseV1Dot2>($"/v1/images/{imageId}", ScpJson.Options))!;
            if (image.Status != "importing" || DateTime.UtcNow > deadline)
            {
                return image;
            }

            await Task.Delay(50);
        }
    }

    public static async Task<ImportStatusResponse> ImportStatusAsync(this HttpClient client, string imageId) =>
        (await client.GetFromJsonAsync<ImportStatusResponse>($"/v1/images/{imageId}/import", ScpJson.Options))!;

    public static async Task<ImageShowResponseV1Dot2> CreateFromAsync(this HttpClient client, string url, string name = "imported")
    {
        using var response = await client.PostAsync("/v1/images", ApiJson.Body(new ImageCreateRequest { Name = name, OsDistro = "ubuntu", Url = url }));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<ImageShowResponseV1Dot2>();
    }

    // What the image store holds for one image, whichever store it is: "images/<id>" once stored,
    // "staging/<key>" for data still streaming in (a partial file or an unfinished multipart upload).
    public static async Task<string[]> StoredDataOfAsync(this ImageServiceApp app, string imageId)
    {
        var store = app.Services.GetRequiredService<IImageFileStore>();
        var ct = TestContext.Current.CancellationToken;
        var staged = await store.ListStagingAsync(ct).Where(o => o.ImageId == imageId).Select(o => $"staging/{o.Key}").ToArrayAsync(ct);
        var stored = await store.ListStoredAsync(ct).Where(o => o.ImageId == imageId).Select(o => $"images/{o.ImageId}").ToArrayAsync(ct);
        return [.. staged, .. stored];
    }

    public static JsonObject? Error(this ImportStatusResponse status) =>
        status.Error is null ? null : new JsonObject { ["code"] = status.Error.Code, ["detail"] = status.Error.Detail };
}
