using System.ComponentModel.DataAnnotations;

namespace ImageService.Api.Data;

internal sealed class DatabaseOptions
{
    public const string Section = "Data";

    // Everything the single-node default keeps on disk lives below this folder: the SQLite database,
    // image files and the Data Protection key ring.
    [Required]
    public string Directory { get; set; } = "./data";

    public string Provider { get; set; } = "Sqlite";

    public string FullDirectory => Path.GetFullPath(Directory);

    public string SqliteConnectionString => $"Data Source={Path.Combine(FullDirectory, "images.db")};Default Timeout=30";
}
