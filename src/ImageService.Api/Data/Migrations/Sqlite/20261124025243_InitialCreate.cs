using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageService.Api.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "access_keys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AccountName = table.Column<string>(type: "TEXT", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", nullable: false),
                    ProtectedSecret = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_access_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "images",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    OwnerAccountName = table.Column<string>(type: "TEXT", nullable: true),
                    OwnerUserName = table.Column<string>(type: "TEXT", nullable: true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Visibility = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Protected = table.Column<bool>(type: "INTEGER", nullable: false),
                    MinDisk = table.Column<int>(type: "INTEGER", nullable: false),
                    MinRam = table.Column<int>(type: "INTEGER", nullable: false),
                    OsDistro = table.Column<string>(type: "TEXT", nullable: true),
                    ContainerFormat = table.Column<string>(type: "TEXT", nullable: false),
                    DiskFormat = table.Column<string>(type: "TEXT", nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 255, nullable: true),
                    Checksum = table.Column<string>(type: "TEXT", nullable: true),
                    OsHashAlgo = table.Column<string>(type: "TEXT", nullable: true),
                    OsHashValue = table.Column<string>(type: "TEXT", nullable: true),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    VirtualSize = table.Column<long>(type: "INTEGER", nullable: true),
                    OsHidden = table.Column<bool>(type: "INTEGER", nullable: false),
                    ScpImageType = table.Column<string>(type: "TEXT", nullable: true),
                    ScpOriginalImageType = table.Column<string>(type: "TEXT", nullable: true),
                    ScpOsVersion = table.Column<string>(type: "TEXT", nullable: true),
                    ScpOsBuildVersion = table.Column<string>(type: "TEXT", nullable: true),
                    ScpK8sVersion = table.Column<string>(type: "TEXT", nullable: true),
                    ScpGpuDriver = table.Column<string>(type: "TEXT", nullable: true),
                    RootDeviceName = table.Column<string>(type: "TEXT", nullable: true),
                    Volumes = table.Column<string>(type: "TEXT", nullable: true),
                    Tags = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_images", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "image_members",
                columns: table => new
                {
                    ImageId = table.Column<string>(type: "TEXT", nullable: false),
                    MemberId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_image_members", x => new { x.ImageId, x.MemberId });
                    table.ForeignKey(
                        name: "FK_image_members_images_ImageId",
                        column: x => x.ImageId,
                        principalTable: "images",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "import_jobs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ImageId = table.Column<string>(type: "TEXT", nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Url = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    LeaseOwner = table.Column<string>(type: "TEXT", nullable: true),
                    LeaseExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    BytesDone = table.Column<long>(type: "INTEGER", nullable: false),
                    BytesTotal = table.Column<long>(type: "INTEGER", nullable: true),
                    StagingKey = table.Column<string>(type: "TEXT", nullable: true),
                    ErrorCode = table.Column<string>(type: "TEXT", nullable: true),
                    ErrorDetail = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_import_jobs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_import_jobs_images_ImageId",
                        column: x => x.ImageId,
                        principalTable: "images",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_access_keys_AccountId",
                table: "access_keys",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_image_members_MemberId_Status_ImageId",
                table: "image_members",
                columns: new[] { "MemberId", "Status", "ImageId" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_CreatedAt_Id",
                table: "images",
                columns: new[] { "OwnerId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Name_Id",
                table: "images",
                columns: new[] { "OwnerId", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Size_Id",
                table: "images",
                columns: new[] { "OwnerId", "Size", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_Status_Id",
                table: "images",
                columns: new[] { "OwnerId", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_images_OwnerId_UpdatedAt_Id",
                table: "images",
                columns: new[] { "OwnerId", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_import_jobs_ImageId",
                table: "import_jobs",
                column: "ImageId");

            migrationBuilder.CreateIndex(
                name: "IX_import_jobs_State_Id",
                table: "import_jobs",
                columns: new[] { "State", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "access_keys");

            migrationBuilder.DropTable(
                name: "image_members");

            migrationBuilder.DropTable(
                name: "import_jobs");

            migrationBuilder.DropTable(
                name: "images");
        }
    }
}
