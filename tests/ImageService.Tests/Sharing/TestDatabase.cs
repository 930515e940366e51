using ImageService.Api.Data;
using ImageService.Api.Images;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Sharing;

// Arranges rows the API cannot reach yet, straight through the app's own DbContext.
public static class TestDatabase
{
    // Stands in for a finished import (issue 5, built in parallel): no API call makes an image active
    // yet, so the row gets the status, checksum, hashes and size an import would record.
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
}
