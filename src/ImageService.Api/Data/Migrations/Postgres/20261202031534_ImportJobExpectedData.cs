using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageService.Api.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ImportJobExpectedData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ExpectedChecksum",
                table: "import_jobs",
                type: "character varying(135)",
                maxLength: 135,
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<long>(
                name: "ExpectedSize",
                table: "import_jobs",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ExpectedChecksum",
                table: "import_jobs");

            migrationBuilder.DropColumn(
                name: "ExpectedSize",
                table: "import_jobs");
        }
    }
}
