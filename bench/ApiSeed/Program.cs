using System.Globalization;
using ImageService.Bench;
using ImageService.Protocol;
using ImageService.Protocol.Images;

// The bench scripts' helper: seeds images through the signed API (bench/api.sh) or straight into
// the database (bench/scale.sh), finds markers deep in a list, and prints signed headers for wrk
// (a signature stays valid for 15 minutes, so one header set serves a whole wrk run).
const string Usage = """
    usage:
      ApiSeed seed <endpoint> <key-file> <count>
          creates <count> images through POST /v1/images and prints the id of one of them
      ApiSeed headers <endpoint> <key-file> <method> <path-and-query>
          prints the signed request headers, one "Name: value" per line
      ApiSeed db-seed <one|spread> <images> <pending>
          writes the layout straight into the service's database (the service's own settings, from
          the environment: Data__Provider, Data__Directory, ConnectionStrings__Images)
      ApiSeed markers <account>
          reads listImages query strings from stdin; prints the id in the middle of each list
    """;

if (args is ["seed", var endpoint, var keyFile, var countText] && int.TryParse(countText, CultureInfo.InvariantCulture, out var count))
{
    Console.WriteLine(await SeedAsync(new Uri(endpoint), BenchKey.Read(keyFile), count));
    return 0;
}

if (args is ["headers", var signEndpoint, var signKeyFile, var method, var pathAndQuery])
{
    using var request = new HttpRequestMessage(new HttpMethod(method), signEndpoint.TrimEnd('/') + pathAndQuery);
    ScpSigningHandler.Sign(request, BenchKey.Read(signKeyFile), "1.3", TimeProvider.System);
    foreach (var (name, values) in request.Headers)
    {
        Console.WriteLine($"{name}: {string.Join(", ", values)}");
    }

    return 0;
}

if (args is ["db-seed", var layout, var imagesText, var pendingText] && layout is "one" or "spread" &&
    int.TryParse(imagesText, CultureInfo.InvariantCulture, out var images) && int.TryParse(pendingText, CultureInfo.InvariantCulture, out var pending))
{
    await DirectSeed.SeedAsync(new ScaleLayout(layout, images, pending));
    return 0;
}

if (args is ["markers", var accountId])
{
    await ListMarkers.PrintAsync(accountId, Console.In);
    return 0;
}

await Console.Error.WriteLineAsync(Usage);
return 2;

static async Task<string> SeedAsync(Uri endpoint, ScpCredentials credentials, int count)
{
    using var client = new HttpClient(new ScpSigningHandler(credentials, "1.3") { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = endpoint };
    var ids = new string[count];
    await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
    {
        var body = new ImageCreateRequest
        {
            Name = $"bench-image-{i % 250:D3}",
            OsDistro = "ubuntu",
            Url = $"https://object-store.example.com/bench/image-{i}.qcow2",
            MinDisk = i % 100,
        };
        using var content = System.Net.Http.Json.JsonContent.Create(body, options: ScpJson.Options);
        using var response = await client.PostAsync(new Uri("/v1/images", UriKind.Relative), content, ct);
        response.EnsureSuccessStatusCode();
        var created = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<ImageShowResponseV1Dot2>(response.Content, ScpJson.Options, ct);
        ids[i] = created!.Id;
    });
    return ids[count / 2];
}
