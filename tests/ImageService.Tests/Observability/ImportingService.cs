using ImageService.Tests.Imports;

namespace ImageService.Tests.Observability;

public static class ImportingService
{
    // A service process on its own data folder that imports from the test's object store, and
    // polls often, so that a test need not wait for the doorbell it may have missed.
    public static Dictionary<string, string> Environment(string data, ObjectStorageServer storage) => new()
    {
        ["Data__Directory"] = data,
        ["Import__AllowedSources__0"] = storage.BaseUri.ToString(),
        ["Import__PollInterval"] = "00:00:00.250",
        ["Logging__LogLevel__Default"] = "Warning",
    };
}
