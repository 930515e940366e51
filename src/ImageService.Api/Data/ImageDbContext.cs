using ImageService.Api.Audit;
using ImageService.Api.Authentication;
using ImageService.Api.Images;
using ImageService.Api.Imports;
using ImageService.Api.Quotas;
using ImageService.Api.Sharing;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ImageService.Api.Data;

// The one model; provider subclasses hold only what differs (see house style §5).
internal abstract class ImageDbContext(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Image> Images => Set<Image>();

    public DbSet<ImageMember> ImageMembers => Set<ImageMember>();

    public DbSet<ImportJob> ImportJobs => Set<ImportJob>();

    public DbSet<AccessKey> AccessKeys => Set<AccessKey>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<AccountQuota> AccountQuotas => Set<AccountQuota>();

    // The Data Protection key ring, when several nodes share it through the database (PostgreSQL);
    // a single SQLite node keeps its ring in files beside the database instead.
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    // The columns listImages filters by equality, and those it sorts by besides the id.
    private static readonly string[] ListFilterColumns =
    [
        nameof(Image.Name), nameof(Image.Status), nameof(Image.Visibility), nameof(Image.OsDistro),
        nameof(Image.ScpImageType), nameof(Image.ScpOriginalImageType),
    ];

    private static readonly string[] SortColumns =
        [nameof(Image.CreatedAt), nameof(Image.UpdatedAt), nameof(Image.Name), nameof(Image.Status), nameof(Image.Size)];

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Image>(image =>
        {
            image.ToTable("images");
            image.HasKey(i => i.Id);
            image.Property(i => i.Id).HasMaxLength(36);
            image.Property(i => i.OwnerId).HasMaxLength(64);
            image.Property(i => i.Name).HasMaxLength(255);
            image.Property(i => i.Status).HasMaxLength(16);
            image.Property(i => i.Visibility).HasMaxLength(16);
            image.Property(i => i.Url).HasMaxLength(255);

            // One index per sort key, each led by the owner, so that every single-key sort pages by
            // keyset on an index: a page costs the same at image 1,000,000 as at image 20.
            image.HasIndex(i => new { i.OwnerId, i.CreatedAt, i.Id });
            image.HasIndex(i => new { i.OwnerId, i.UpdatedAt, i.Id });
            image.HasIndex(i => new { i.OwnerId, i.Name, i.Id });
            image.HasIndex(i => new { i.OwnerId, i.Status, i.Id });
            image.HasIndex(i => new { i.OwnerId, i.Size, i.Id });
            image.HasIndex(i => new { i.OwnerId, i.Id });

            // And per list filter, the same again with the filtered column after the owner: the
            // equality narrows the range to the matching images, already in the sort's order, so a
            // filtered page reads only the rows it returns however rare the match (docs/scale.md).
            // Sorted by the filtered column itself, or by id, the (owner, column, id) index serves.
            foreach (var filtered in ListFilterColumns)
            {
                image.HasIndex(nameof(Image.OwnerId), filtered, nameof(Image.Id));
                foreach (var sorted in SortColumns.Where(s => s != filtered))
                {
                    image.HasIndex(nameof(Image.OwnerId), filtered, sorted, nameof(Image.Id));
                }
            }
        });

        modelBuilder.Entity<ImageMember>(member =>
        {
            member.ToTable("image_members");
            member.HasKey(m => new { m.ImageId, m.MemberId });
            member.Property(m => m.ImageId).HasMaxLength(36);
            member.Property(m => m.MemberId).HasMaxLength(64);
            member.Property(m => m.Status).HasMaxLength(16);
            member.HasOne<Image>().WithMany().HasForeignKey(m => m.ImageId).OnDelete(DeleteBehavior.Cascade);

            // "What is shared with this account" starts from the member side.
            member.HasIndex(m => new { m.MemberId, m.Status, m.ImageId });
        });

        modelBuilder.Entity<ImportJob>(job =>
        {
            job.ToTable("import_jobs");
            job.HasKey(j => j.Id);
            job.Property(j => j.ImageId).HasMaxLength(36);
            job.Property(j => j.State).HasMaxLength(16);
            job.Property(j => j.AccountId).HasMaxLength(64);
            job.Property(j => j.Url).HasMaxLength(255);

            // "sha512:" and 128 hex digits, the longest form ImageChecksum reads.
            job.Property(j => j.ExpectedChecksum).HasMaxLength(135);

            // A strong ETag or an HTTP date, for If-Range (ImportJob.SourceValidator).
            job.Property(j => j.SourceValidator).HasMaxLength(256);
            job.HasOne<Image>().WithMany().HasForeignKey(j => j.ImageId).OnDelete(DeleteBehavior.Cascade);
            job.HasIndex(j => new { j.State, j.Id });
            job.HasIndex(j => j.ImageId);
        });

        modelBuilder.Entity<AccessKey>(key =>
        {
            key.ToTable("access_keys");
            key.HasKey(k => k.Id);
            key.Property(k => k.Id).HasMaxLength(64);
            key.Property(k => k.AccountId).HasMaxLength(64);
            key.HasIndex(k => k.AccountId);
        });

        modelBuilder.Entity<AuditEvent>(audit =>
        {
            audit.ToTable("audit_events");
            audit.HasKey(e => e.Id);
            audit.Property(e => e.AccountId).HasMaxLength(64);
            audit.Property(e => e.AccessKey).HasMaxLength(64);
            audit.Property(e => e.Operation).HasMaxLength(64);
            audit.Property(e => e.ImageId).HasMaxLength(36);
            audit.Property(e => e.Outcome).HasMaxLength(16);
            audit.Property(e => e.CallerAddress).HasMaxLength(64);

            // An account's trail, newest first, whole or for one image, from a time on: each page is
            // one range read of an index, like the image list. The third serves the retention prune.
            audit.HasIndex(e => new { e.AccountId, e.OccurredAt, e.Id });
            audit.HasIndex(e => new { e.AccountId, e.ImageId, e.OccurredAt, e.Id });
            audit.HasIndex(e => e.OccurredAt);
        });

        modelBuilder.Entity<AccountQuota>(quota =>
        {
            quota.ToTable("account_quotas");
            quota.HasKey(q => q.AccountId);
            quota.Property(q => q.AccountId).HasMaxLength(64);
        });

        modelBuilder.Entity<DataProtectionKey>().ToTable("data_protection_keys");
        RowValues.Register(modelBuilder);
    }
}
