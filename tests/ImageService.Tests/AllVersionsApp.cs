namespace ImageService.Tests;

// An app that still answers every published version: by today's lifecycle table only 1.3 is
// served, and contract tests need 1.0 to 1.2 too. The operator switch is the one docs/versions.md names.
public sealed class AllVersionsApp : IDisposable
{
    public static readonly TheoryData<string> Versions = ["1.0", "1.1", "1.2", "1.3"];

    public ImageServiceApp App { get; } = ImageServiceApp.Create(settings: new Dictionary<string, string?>
    {
        ["Versioning:ServeRetiredVersions"] = "true",
    });

    public void Dispose() => App.Dispose();
}
