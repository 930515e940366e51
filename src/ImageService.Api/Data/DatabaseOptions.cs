using System.ComponentModel.DataAnnotations;

namespace ImageService.Api.Data;

internal sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Data";
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    // ConnectionStrings:Images, the PostgreSQL database every node shares.
    public const string ConnectionStringName = "Images";

    // Everything the single-node default keeps on disk lives below this folder: the SQLite database,
    // image files and the Data Protection key ring.
    [Required]
    public string Directory { get; set; } = "./data";

    // Sqlite (one node, the default) or Postgres (several nodes sharing one database).
    public string Provider { get; set; } = Sqlite;

    // Not bound from the Data section: the host reads it from ConnectionStrings:Images.
    public string? PostgresConnectionString { get; set; }

    // What Npgsql is given (PostgresConnectionTuning). Options validation reads every property, so
    // this one must not touch Npgsql itself when no PostgreSQL is configured.
    public string? NpgsqlConnectionString => string.IsNullOrWhiteSpace(PostgresConnectionString)
        ? PostgresConnectionString
        : PostgresConnectionTuning.Tune(PostgresConnectionString);

    // The provider decides which services exist at all, so registration reads it straight away.
    public static bool IsPostgresIn(IConfiguration configuration) =>
        string.Equals(configuration[$"{Section}:{nameof(Provider)}"], Postgres, StringComparison.OrdinalIgnoreCase);

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    public string FullDirectory => Path.GetFullPath(Directory);

    public string SqliteConnectionString => $"Data Source={Path.Combine(FullDirectory, "images.db")};Default Timeout=30";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsPostgres && !string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"{Section}:{nameof(Provider)} must be {Sqlite} or {Postgres}.", [nameof(Provider)]);
        }
        else if (IsPostgres && string.IsNullOrWhiteSpace(PostgresConnectionString))
        {
            yield return new ValidationResult(
                $"{Section}:{nameof(Provider)} is {Postgres}, so ConnectionStrings:{ConnectionStringName} must name the database.",
                [nameof(PostgresConnectionString)]);
        }
    }
}
