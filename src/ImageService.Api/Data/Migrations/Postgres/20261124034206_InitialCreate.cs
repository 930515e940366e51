using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ImageService.Api.Data.Migrations.Postgres
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
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    AccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    AccountName = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    UserName = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    ProtectedSecret = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_access_keys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "images",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: false, collation: "C"),
                    OwnerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    OwnerAccountName = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    OwnerUserName = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Name = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    Visibility = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    Protected = table.Column<bool>(type: "boolean", nullable: false),
                    MinDisk = table.Column<int>(type: "integer", nullable: false),
                    MinRam = table.Column<int>(type: "integer", nullable: false),
                    OsDistro = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ContainerFormat = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    DiskFormat = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    Url = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true, collation: "C"),
                    Checksum = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    OsHashAlgo = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    OsHashValue = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    VirtualSize = table.Column<long>(type: "bigint", nullable: true),
                    OsHidden = table.Column<bool>(type: "boolean", nullable: false),
                    ScpImageType = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ScpOriginalImageType = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ScpOsVersion = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ScpOsBuildVersion = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ScpK8sVersion = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ScpGpuDriver = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    RootDeviceName = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Volumes = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    Tags = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_images", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "image_members",
                columns: table => new
                {
                    ImageId = table.Column<string>(type: "character varying(36)", nullable: false, collation: "C"),
                    MemberId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ImageId = table.Column<string>(type: "character varying(36)", nullable: false, collation: "C"),
                    AccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    Url = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false, collation: "C"),
                    State = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    LeaseOwner = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    LeaseExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    BytesDone = table.Column<long>(type: "bigint", nullable: false),
                    BytesTotal = table.Column<long>(type: "bigint", nullable: true),
                    StagingKey = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ErrorCode = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    ErrorDetail = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    UpdatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
