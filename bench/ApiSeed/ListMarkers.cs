extern alias ImageServiceApi;

using ImageServiceApi::ImageService.Api.Data;
using ImageServiceApi::ImageService.Api.Images;
using ImageServiceApi::ImageService.Api.Sharing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Bench;

// For each listImages query string, the id of the image in the middle of that list (filtered and
// sorted by the service's own ImageListQuery), so the marker page bench/scale.sh measures starts
// deep in the list. A filter that leaves fewer than two images takes the middle of the whole list.
internal static class ListMarkers
{
    public static async Task PrintAsync(string accountId, TextReader queries)
    {
        await using var services = DirectSeed.Services();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ImageDbContext>();
        var listed = db.OwnedBy(accountId).Concat(db.SharedWith(accountId, MemberStatus.Accepted));
        while (await queries.ReadLineAsync() is { } line)
        {
            var query = ImageListQuery.Parse(new QueryCollection(QueryHelpers.ParseQuery(line)), out var problems)
                ?? throw new InvalidDataException($"{line}: {string.Join("; ", problems.Select(p => p.Detail))}");
            var marker = await MiddleAsync(query.Sort.Apply(query.Filter(listed))) ?? await MiddleAsync(query.Sort.Apply(listed))
                ?? throw new InvalidDataException($"Account {accountId} has no images.");
            Console.WriteLine(marker);
        }
    }

    private static async Task<string?> MiddleAsync(IQueryable<Image> list)
    {
        var count = await list.CountAsync();
        return count < 2 ? null : await list.Skip(count / 2).Select(i => i.Id).FirstAsync();
    }
}
