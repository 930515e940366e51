using System.Text.Json;
using System.Text.Json.Nodes;
using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Tests.Images;
using ImageService.Tests.Versioning;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Contract;

// docs/errors.md: the SDK decodes with unknown fields disallowed and required keys checked, so each
// version's body has exactly its schema's keys (ImageShowResponse, …V1Dot2, list items of 1.3).
public sealed class ResponseShapeTests(AllVersionsServedApp fixture) : IClassFixture<AllVersionsServedApp>
{
    // ImageShowResponse in the spec, and the seed pages' 1.0 and 1.1 examples.
    private static readonly string[] V1Dot0Keys =
    [
        "checksum", "container_format", "created_at", "disk_format", "file", "id", "min_disk", "min_ram", "name", "os_distro",
        "os_hash_algo", "os_hash_value", "os_hidden", "owner", "owner_account_name", "owner_user_name", "protected",
        "root_device_name", "scp_image_type", "scp_k8s_version", "scp_original_image_type", "scp_os_build_version",
        "scp_os_version", "size", "status", "updated_at", "url", "virtual_size", "visibility", "volumes",
    ];

    private static readonly string[] RequiredKeys =
    [
        "container_format", "created_at", "disk_format", "file", "id", "min_disk", "min_ram", "name", "os_hidden", "owner",
        "protected", "status", "updated_at", "visibility",
    ];

    private static readonly string[] Integers = ["min_disk", "min_ram"];
    private static readonly string[] NullableIntegers = ["size", "virtual_size"];
    private static readonly string[] Booleans = ["os_hidden", "protected"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> Shapes => new()
    {
        { "1.0", "show" }, { "1.1", "show" }, { "1.2", "show" }, { "1.3", "show" },
        { "1.0", "list" }, { "1.1", "list" }, { "1.2", "list" }, { "1.3", "list" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task ImageBodies_EachVersion_HaveExactlyTheSchemaKeys(string version, string kind)
    {
        var (client, id) = await CreateFilledImageAsync(version);
        using var _ = client;

        var created = await PostedImageAsync(client);
        var shown = await client.GetFromJsonObjectAsync($"/v1/images/{id}");
        using var put = await client.PutAsync($"/v1/images/{id}", ApiJson.Body(new JsonObject()), Ct);
        var updated = await put.ReadObjectAsync();
        var list = await client.GetFromJsonObjectAsync("/v1/images?limit=1000");

        var expected = ExpectedKeys(version, kind);
        if (kind == "show")
        {
            foreach (var body in new[] { created, shown, updated })
            {
                Assert.Equal(expected, body.Select(p => p.Key).Order(StringComparer.Ordinal));
            }
        }
        else
        {
            Assert.Equal(["images"], list.Select(p => p.Key));
            Assert.All(list["images"]!.AsArray(), item => Assert.Equal(expected, item!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)));
        }
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.1")]
    [InlineData("1.2")]
    [InlineData("1.3")]
    public async Task ImageBodies_EveryVersion_HaveTheContractValueForms(string version)
    {
        var (client, id) = await CreateFilledImageAsync(version);
        using var _ = client;
        var fresh = await PostedImageAsync(client);

        var list = await client.GetFromJsonObjectAsync("/v1/images?limit=1000");

        foreach (var image in list["images"]!.AsArray().Select(i => i!.AsObject()).Append(fresh))
        {
            foreach (var key in RequiredKeys)
            {
                Assert.NotNull(image[key]);
            }

            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", image["created_at"]!.GetValue<string>());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", image["updated_at"]!.GetValue<string>());
            Assert.Equal($"/v2/images/{image["id"]!.GetValue<string>()}/file", image["file"]!.GetValue<string>());
            Assert.True(image["volumes"] is null || image["volumes"]!.GetValueKind() == JsonValueKind.String);
            Assert.All(Integers, k => Assert.Equal(JsonValueKind.Number, image[k]!.GetValueKind()));
            Assert.All(NullableIntegers, k => Assert.True(image[k] is null || image[k]!.GetValueKind() == JsonValueKind.Number));
            Assert.All(Booleans, k => Assert.True(image[k]!.GetValueKind() is JsonValueKind.True or JsonValueKind.False));
            foreach (var (key, value) in image)
            {
                if (!Integers.Contains(key) && !NullableIntegers.Contains(key) && !Booleans.Contains(key))
                {
                    Assert.True(value is null || value.GetValueKind() == JsonValueKind.String, $"{key} must be a string or null");
                }
            }
        }

        var filled = list["images"]!.AsArray().Single(i => i!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("2429747200", filled["size"]!.ToJsonString());
        Assert.Equal(JsonValueKind.String, filled["volumes"]!.GetValueKind());
    }

    // The 1.3 SDK's model declares scp_supported_class_types a nullable string and decodes strictly:
    // the Protocol record must read (and write) exactly that, or every 1.3 list call fails.
    [Theory]
    [InlineData("null", null)]
    [InlineData("\"s2,g1\"", "s2,g1")]
    public void ListItemV1Dot3_ScpSupportedClassTypes_IsANullableString(string json, string? expected)
    {
        var item = JsonSerializer.Deserialize<ImageService.Protocol.Images.ImageListItemV1Dot3>(
            $$"""{"scp_supported_class_types":{{json}}}""", ImageService.Protocol.ScpJson.Options)!;

        Assert.Equal(expected, item.ScpSupportedClassTypes);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ImageService.Protocol.Images.ImageListItemV1Dot3>(
            """{"scp_supported_class_types":["s2"]}""", ImageService.Protocol.ScpJson.Options));
    }

    private static string[] ExpectedKeys(string version, string kind)
    {
        IEnumerable<string> keys = V1Dot0Keys;
        if (version is "1.2" or "1.3")
        {
            keys = keys.Append("scp_gpu_driver");
        }

        if (version == "1.3" && kind == "list")
        {
            keys = keys.Append("scp_supported_class_types");
        }

        return keys.Order(StringComparer.Ordinal).ToArray();
    }

    private static async Task<JsonObject> PostedImageAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/v1/images", ApiJson.Body(ImageRequests.Create()), Ct);
        response.EnsureSuccessStatusCode();
        return await response.ReadObjectAsync();
    }

    // An image with every optional column set, as an import and the platform would leave it.
    private async Task<(HttpClient Client, string Id)> CreateFilledImageAsync(string version)
    {
        var client = await fixture.App.CreateAccountClientAsync(version);
        var id = await client.CreateImageAsync();
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        var image = await db.Images.SingleAsync(i => i.Id == id, Ct);
        db.Entry(image).CurrentValues.SetValues(new Dictionary<string, object?>
        {
            [nameof(Image.Status)] = ImageStatus.Active,
            [nameof(Image.Checksum)] = "7538e0fcb56e0e272cfd89eb384d6613",
            [nameof(Image.OsHashAlgo)] = "sha512",
            [nameof(Image.OsHashValue)] = new string('c', 128),
            [nameof(Image.Size)] = 2429747200L,
            [nameof(Image.VirtualSize)] = 17179869184L,
            [nameof(Image.ScpOriginalImageType)] = "standard",
            [nameof(Image.ScpOsVersion)] = "8.8",
            [nameof(Image.ScpOsBuildVersion)] = "20250101",
            [nameof(Image.ScpK8sVersion)] = "v1.28.7",
            [nameof(Image.ScpGpuDriver)] = "535.183.06",
            [nameof(Image.RootDeviceName)] = "/dev/vda",
            [nameof(Image.Volumes)] = "[{\"device_name\": \"/dev/vda\", \"boot_index\": 0}]",
        });
        await db.SaveChangesAsync(Ct);
        return (client, id);
    }
}
