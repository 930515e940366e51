using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageService.Api.Data.Migrations.Postgres
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
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "SourceValidator",
                table: "import_jobs",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<long>(
                name: "StagedBytes",
                table: "import_jobs",
                type: "bigint",
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
