using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ImageService.Tests.Contract;

// Committed JSON files beside this source file. A missing file is written and the test fails, so
// a new snapshot is always reviewed; IMAGESERVICE_UPDATE_SNAPSHOTS=1 rewrites changed ones.
public static class Snapshot
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Match(string name, JsonNode actual, [CallerFilePath] string sourcePath = "")
    {
        var path = Path.Combine(Path.GetDirectoryName(sourcePath)!, "Snapshots", name + ".json");
        var text = actual.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
        var update = Environment.GetEnvironmentVariable("IMAGESERVICE_UPDATE_SNAPSHOTS") == "1";
        if (!File.Exists(path) || update)
        {
            var existed = File.Exists(path);
            File.WriteAllText(path, text);
            Assert.True(existed && update, $"Snapshot {name} was written to {path}; review it and commit it.");
            return;
        }

        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), text);
    }
}
