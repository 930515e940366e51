namespace ImageService.Protocol.Images;

/// <summary>
/// The rules of an image's name and os_distro, written once for the service, which enforces them,
/// and imagectl, which checks a value before it sends it and says which rule it broke.
/// </summary>
public static class ImageFieldRules
{
    /// <summary>The longest name the spec allows.</summary>
    public const int MaxNameLength = 255;

    private static readonly string[] OsDistrosFrom1Dot1 = ["alma", "centos", "rhel", "rocky", "ubuntu", "windows", "oracle"];
    private static readonly string[] OsDistros1Dot0 = [.. OsDistrosFrom1Dot1, "sles"];

    /// <summary>The os_distro values createImage accepts in an API version: 1.0 also takes sles (docs/versions.md).</summary>
    public static IReadOnlyList<string> OsDistros(int major, int minor) => (major, minor) is (1, 0) ? OsDistros1Dot0 : OsDistrosFrom1Dot1;

    /// <summary>Why <paramref name="name"/> is not a valid image name (the spec's <c>^[a-zA-Z0-9-_ ]*$</c>, 1 to 255 characters), or null.</summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return $"name is required: 1 to {MaxNameLength} letters, digits, '-', '_' or spaces.";
        }

        if (name.Length > MaxNameLength)
        {
            return $"name is {name.Length} characters long; at most {MaxNameLength} are allowed.";
        }

        foreach (var c in name)
        {
            if (!IsNameCharacter(c))
            {
                var shown = char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : $"'{c}'";
                return $"{shown} is not allowed in a name: use letters a-z, A-Z, digits, '-', '_' or spaces.";
            }
        }

        return null;
    }

    private static bool IsNameCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ' ';
}
