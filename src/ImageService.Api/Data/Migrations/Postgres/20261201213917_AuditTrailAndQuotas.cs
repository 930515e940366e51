using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace ImageService.Api.Data.Migrations.Postgres
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
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateTable(
                name: "account_quotas",
                columns: table => new
                {
                    AccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    MaxImages = table.Column<long>(type: "bigint", nullable: true),
                    MaxBytes = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_account_quotas", x => x.AccountId);
                });

            migrationBuilder.CreateTable(
                name: "audit_events",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OccurredAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AccountId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    UserName = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    AccessKey = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C"),
                    Operation = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false, collation: "C"),
                    ImageId = table.Column<string>(type: "character varying(36)", maxLength: 36, nullable: true, collation: "C"),
                    Outcome = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false, collation: "C"),
                    Detail = table.Column<string>(type: "text", nullable: true, collation: "C"),
                    CallerAddress = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true, collation: "C")
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
