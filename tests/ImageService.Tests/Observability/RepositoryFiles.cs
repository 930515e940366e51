namespace ImageService.Tests.Observability;

// Files the repository ships (docs, the systemd unit, alert rules), found from the test binary.
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ImageService.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (ImageService.slnx) was not found above the test binary.");
    }
}
