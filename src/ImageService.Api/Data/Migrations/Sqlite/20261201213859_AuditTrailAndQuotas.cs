using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ImageService.Api.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuditTrailAndQuotas : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ReservedBytes",
                table: "import_jobs",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "account_quotas",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MaxImages = table.Column<long>(type: "INTEGER", nullable: true),
                    MaxBytes = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_account_quotas", x => x.AccountId);
                });

            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OccurredAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    AccountId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UserName = table.Column<string>(type: "TEXT", nullable: true),
                    AccessKey = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Operation = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ImageId = table.Column<string>(type: "TEXT", maxLength: 36, nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    Detail = table.Column<string>(type: "TEXT", nullable: true),
                    CallerAddress = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_events", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_AccountId_ImageId_OccurredAt_Id",
                table: "audit_events",
                columns: new[] { "AccountId", "ImageId", "OccurredAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_AccountId_OccurredAt_Id",
                table: "audit_events",
                columns: new[] { "AccountId", "OccurredAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_audit_events_OccurredAt",
                table: "audit_events",
                column: "OccurredAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "account_quotas");

            migrationBuilder.DropTable(
                name: "audit_events");

            migrationBuilder.DropColumn(
                name: "ReservedBytes",
                table: "import_jobs");
        }
    }
}
