using ImageService.Api.Data;
using ImageService.Api.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Sharing;

// Arranges rows the API cannot reach yet, straight through the app's own DbContext.
public static class TestDatabase
{
    // Stands in for a finished import where only the image row matters (share needs an active
    // image): the row gets the status, checksum, hashes and size an import would record, but no
    // data is stored. Tests that read the data import for real (SharedImageFixture).
    public static async Task MarkActiveAsync(this ImageServiceApp app, string imageId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        var rows = await db.Images.Where(i => i.Id == imageId).ExecuteUpdateAsync(
            s => s.SetProperty(i => i.Status, ImageStatus.Active)
                .SetProperty(i => i.Checksum, "7538e0fcb56e0e272cfd89eb384d6613")
                .SetProperty(i => i.OsHashAlgo, "sha512")
                .SetProperty(i => i.OsHashValue, new string('c', 128))
                .SetProperty(i => i.Size, 2429747200L),
            TestContext.Current.CancellationToken);
        Assert.Equal(1, rows);
    }

    // Images created through the API are all scp_image_type custom with no original type; the
    // pending list's filters need others.
    public static async Task SetImageTypesAsync(this ImageServiceApp app, string imageId, string? imageType, string? originalImageType)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        var rows = await db.Images.Where(i => i.Id == imageId).ExecuteUpdateAsync(
            s => s.SetProperty(i => i.ScpImageType, imageType).SetProperty(i => i.ScpOriginalImageType, originalImageType),
            TestContext.Current.CancellationToken);
        Assert.Equal(1, rows);
    }

    public static async Task<int> CountMembersAsync(this ImageServiceApp app, string imageId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        return await db.ImageMembers.CountAsync(m => m.ImageId == imageId, TestContext.Current.CancellationToken);
    }

    // count images, each shared with one member, written by two SQL statements (in each provider's dialect): the way to have a
    // hundred thousand rows in a test. With accounts > 1 they spread over that many owners and members
    // (ownerId-0, ownerId-1, …) in consecutive blocks, which keeps index inserts local and the insert
    // fast. They were created a second apart from 2026-01-01, in the order of the ids returned.
    public static async Task<IReadOnlyList<string>> InsertSharedImagesAsync(
        this ImageServiceApp app, int count, string ownerId, string memberId, string memberStatus, int accounts = 1)
    {
        var prefix = Guid.NewGuid().ToString("N")[..8];
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        var ct = TestContext.Current.CancellationToken;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO images ("Id", "OwnerId", "Name", "Status", "Visibility", "Protected", "MinDisk", "MinRam", "ContainerFormat",
                                    "DiskFormat", "Size", "OsHidden", "ScpImageType", "CreatedAt", "UpdatedAt")
                SELECT {prefix} || '-0000-4000-8000-' || lpad(x::text, 12, '0'),
                       CASE WHEN {accounts} = 1 THEN {ownerId} ELSE {ownerId} || '-' || ((x - 1) * {accounts} / {count}) END,
                       'bulk-' || x, 'active', 'shared', false, 0, 0, 'bare', 'qcow2', 0, false, 'custom',
                       timestamptz '2026-01-01 00:00:00Z' + x * interval '1 second',
                       timestamptz '2026-01-01 00:00:00Z' + x * interval '1 second'
                FROM generate_series(1, {count}) AS x
                """,
                ct);
            await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO image_members ("ImageId", "MemberId", "Status", "CreatedAt", "UpdatedAt")
                SELECT {prefix} || '-0000-4000-8000-' || lpad(x::text, 12, '0'),
                       CASE WHEN {accounts} = 1 THEN {memberId} ELSE {memberId} || '-' || ((x - 1) * {accounts} / {count}) END,
                       {memberStatus},
                       timestamptz '2026-01-01 00:00:00Z' + x * interval '1 second',
                       timestamptz '2026-01-01 00:00:00Z' + x * interval '1 second'
                FROM generate_series(1, {count}) AS x
                """,
                ct);
        }
        else
        {
            await db.Database.ExecuteSqlAsync(
                $"""
                WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {count})
                INSERT INTO images (Id, OwnerId, Name, Status, Visibility, Protected, MinDisk, MinRam, ContainerFormat, DiskFormat,
                                    Size, OsHidden, ScpImageType, CreatedAt, UpdatedAt)
                SELECT {prefix} || printf('-0000-4000-8000-%012d', x),
                       CASE WHEN {accounts} = 1 THEN {ownerId} ELSE {ownerId} || '-' || ((x - 1) * {accounts} / {count}) END,
                       'bulk-' || x, 'active', 'shared', 0, 0, 0, 'bare', 'qcow2', 0, 0, 'custom',
                       strftime('%Y-%m-%d %H:%M:%S', '2026-01-01', '+' || x || ' seconds'),
                       strftime('%Y-%m-%d %H:%M:%S', '2026-01-01', '+' || x || ' seconds')
                FROM n
                """,
                ct);
            await db.Database.ExecuteSqlAsync(
                $"""
                WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < {count})
                INSERT INTO image_members (ImageId, MemberId, Status, CreatedAt, UpdatedAt)
                SELECT {prefix} || printf('-0000-4000-8000-%012d', x),
                       CASE WHEN {accounts} = 1 THEN {memberId} ELSE {memberId} || '-' || ((x - 1) * {accounts} / {count}) END,
                       {memberStatus},
                       strftime('%Y-%m-%d %H:%M:%S', '2026-01-01', '+' || x || ' seconds'),
                       strftime('%Y-%m-%d %H:%M:%S', '2026-01-01', '+' || x || ' seconds')
                FROM n
                """,
                ct);
        }

        await transaction.CommitAsync(ct);
        return Enumerable.Range(1, count).Select(x => $"{prefix}-0000-4000-8000-{x:D12}").ToArray();
    }
}
