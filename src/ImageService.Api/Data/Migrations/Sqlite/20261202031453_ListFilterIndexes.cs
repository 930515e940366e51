using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageService.Api.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ListFilterIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Name_CreatedAt_Id",
                table: "images",
                columns: new[] { "OwnerId", "Name", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Name_Size_Id",
                table: "images",
                columns: new[] { "OwnerId", "Name", "Size", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Name_Status_Id",
                table: "images",
                columns: new[] { "OwnerId", "Name", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Name_UpdatedAt_Id",
                table: "images",
                columns: new[] { "OwnerId", "Name", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_OsDistro_CreatedAt_Id",
                table: "images",
                columns: new[] { "OwnerId", "OsDistro", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_OsDistro_Id",
                table: "images",
                columns: new[] { "OwnerId", "OsDistro", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_OsDistro_Name_Id",
                table: "images",
                columns: new[] { "OwnerId", "OsDistro", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_OsDistro_Size_Id",
                table: "images",
                columns: new[] { "OwnerId", "OsDistro", "Size", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_OsDistro_Status_Id",
                table: "images",
                columns: new[] { "OwnerId", "OsDistro", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_OsDistro_UpdatedAt_Id",
                table: "images",
                columns: new[] { "OwnerId", "OsDistro", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_ScpImageType_CreatedAt_Id",
                table: "images",
                columns: new[] { "OwnerId", "ScpImageType", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_ScpImageType_Id",
                table: "images",
                columns: new[] { "OwnerId", "ScpImageType", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_ScpImageType_Name_Id",
                table: "images",
                columns: new[] { "OwnerId", "ScpImageType", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_ScpImageType_Size_Id",
                table: "images",
                columns: new[] { "OwnerId", "ScpImageType", "Size", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_ScpImageType_Status_Id",
                table: "images",
                columns: new[] { "OwnerId", "ScpImageType", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_ScpImageType_UpdatedAt_Id",
                table: "images",
                columns: new[] { "OwnerId", "ScpImageType", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_ScpOriginalImageType_CreatedAt_Id",
                table: "images",
                columns: new[] { "OwnerId", "ScpOriginalImageType", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_ScpOriginalImageType_Id",
                table: "images",
                columns: new[] { "OwnerId", "ScpOriginalImageType", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_ScpOriginalImageType_Name_Id",
                table: "images",
                columns: new[] { "OwnerId", "ScpOriginalImageType", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_ScpOriginalImageType_Size_Id",
                table: "images",
                columns: new[] { "OwnerId", "ScpOriginalImageType", "Size", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_ScpOriginalImageType_Status_Id",
                table: "images",
                columns: new[] { "OwnerId", "ScpOriginalImageType", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_ScpOriginalImageType_UpdatedAt_Id",
                table: "images",
                columns: new[] { "OwnerId", "ScpOriginalImageType", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Status_CreatedAt_Id",
                table: "images",
                columns: new[] { "OwnerId", "Status", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Status_Name_Id",
                table: "images",
                columns: new[] { "OwnerId", "Status", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Status_Size_Id",
                table: "images",
                columns: new[] { "OwnerId", "Status", "Size", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Status_UpdatedAt_Id",
                table: "images",
                columns: new[] { "OwnerId", "Status", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Visibility_CreatedAt_Id",
                table: "images",
                columns: new[] { "OwnerId", "Visibility", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Visibility_Id",
                table: "images",
                columns: new[] { "OwnerId", "Visibility", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Visibility_Name_Id",
                table: "images",
                columns: new[] { "OwnerId", "Visibility", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Visibility_Size_Id",
                table: "images",
                columns: new[] { "OwnerId", "Visibility", "Size", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Visibility_Status_Id",
                table: "images",
                columns: new[] { "OwnerId", "Visibility", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Visibility_UpdatedAt_Id",
                table: "images",
                columns: new[] { "OwnerId", "Visibility", "UpdatedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_Name_CreatedAt_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_Name_Size_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_Name_Status_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_Name_UpdatedAt_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_OsDistro_CreatedAt_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_OsDistro_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_OsDistro_Name_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_OsDistro_Size_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_OsDistro_Status_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_OsDistro_UpdatedAt_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_ScpImageType_CreatedAt_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_ScpImageType_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_ScpImageType_Name_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_ScpImageType_Size_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_ScpImageType_Status_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_ScpImageType_UpdatedAt_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_ScpOriginalImageType_CreatedAt_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_ScpOriginalImageType_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_ScpOriginalImageType_Name_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_ScpOriginalImageType_Size_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_ScpOriginalImageType_Status_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_ScpOriginalImageType_UpdatedAt_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_Status_CreatedAt_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_Status_Name_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_Status_Size_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_Status_UpdatedAt_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_Visibility_CreatedAt_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_Visibility_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_Visibility_Name_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_Visibility_Size_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_Visibility_Status_Id",
                table: "images");

            migrationBuilder.DropIndex(
                name: "IX_images_OwnerId_Visibility_UpdatedAt_Id",
                table: "images");
        }
    }
}
