using ImageService.Api.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Cli;

// Moves an image along in the database, as the import worker does, for commands that follow it.
internal static class ServiceData
{
    public static async Task SetImageStatusAsync(this ImageServiceApp app, string imageId, string status)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        await db.Images.Where(i => i.Id == imageId).ExecuteUpdateAsync(s => s.SetProperty(i => i.Status, status), TestContext.Current.CancellationToken);
    }
}
