using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageService.Api.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ImportResume : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Resumes",
                table: "import_jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "SourceValidator",
                table: "import_jobs",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "StagedBytes",
                table: "import_jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Resumes",
                table: "import_jobs");

            migrationBuilder.DropColumn(
                name: "SourceValidator",
                table: "import_jobs");

            migrationBuilder.DropColumn(
                name: "StagedBytes",
                table: "import_jobs");
        }
    }
}
