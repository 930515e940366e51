using System.Text.Json;
using ImageService.Protocol;

namespace ImageService.Bench;

// The JSON `ImageService.Api keys create` prints; read from a file so the secret never appears
// on a command line.
internal sealed record BenchKey(string AccessKey, string SecretKey, string AccountId)
{
    public static ScpCredentials Read(string path)
    {
        var key = JsonSerializer.Deserialize<BenchKey>(File.ReadAllText(path), ScpJson.Options)
            ?? throw new InvalidDataException($"{path} holds no access key.");
        return new ScpCredentials(key.AccessKey, key.SecretKey);
    }
}
