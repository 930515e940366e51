using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageService.Api.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OwnerIdIdIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Id",
                table: "images",
                columns: new[] { "OwnerId", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_Id",
                table: "images");
        }
    }
}
