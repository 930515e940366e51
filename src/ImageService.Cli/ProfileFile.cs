using System.Text.Json;
using System.Text.Json.Serialization;
using ImageService.Protocol;

namespace ImageService.Cli;

// The config file, $XDG_CONFIG_HOME/imagectl/config.json or ~/.config/imagectl/config.json. It holds
// secrets, so it is created readable by its owner only (0600, in a 0700 folder), and reading one that
// others can read draws a warning, as ssh does.
internal sealed class ProfileFile(string path)
{
    public const string DefaultProfile = "default";

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OthersAccess = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    private static readonly JsonSerializerOptions Json = new(ScpJson.Options)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string Path => path;

    public static ProfileFile Locate(CliContext context)
    {
        var configHome = context.Environment("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(configHome))
        {
            var home = context.Environment("HOME");
            configHome = System.IO.Path.Combine(
                string.IsNullOrEmpty(home) ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) : home, ".config");
        }

        return new ProfileFile(System.IO.Path.Combine(configHome, "imagectl", "config.json"));
    }

    public Dictionary<string, Profile> Load(TextWriter warnings)
    {
        if (!File.Exists(path))
        {
            return new(StringComparer.Ordinal);
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & OthersAccess) != 0)
        {
            warnings.WriteLine($"warning: {path} is readable by other users; run: chmod 600 '{path}'");
        }

        try
        {
            var document = JsonSerializer.Deserialize<ProfileDocument>(File.ReadAllText(path), Json);
            return new(document?.Profiles ?? [], StringComparer.Ordinal);
        }
        catch (JsonException e)
        {
            throw new CliException(ExitCodes.Usage, $"{path} is not a valid imagectl config file: {e.Message}");
        }
    }

    public void Save(IReadOnlyDictionary<string, Profile> profiles)
    {
        var folder = System.IO.Path.GetDirectoryName(path)!;
        var text = JsonSerializer.Serialize(new ProfileDocument(new Dictionary<string, Profile>(profiles, StringComparer.Ordinal)), Json) + "\n";
        var temporary = path + ".tmp";
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(temporary, text);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerOnlyFolder);

            // Created 0600 from the first byte, then renamed over the old file: never a moment in which
            // the secret is readable by others, or half written.
            File.Delete(temporary);
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = OwnerOnlyFile,
            }))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
            }

            File.SetUnixFileMode(temporary, OwnerOnlyFile);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private sealed record ProfileDocument(Dictionary<string, Profile> Profiles);
}
