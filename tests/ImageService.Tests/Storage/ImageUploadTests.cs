using System.Security.Cryptography;
using ImageService.Api.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ImageService.Tests.Storage;

// Whatever mix of buffers an import hands the store (page-aligned ones the file store writes past
// the page cache, unaligned ones and a short tail it writes through it), the stored bytes are exactly
// the bytes written, at exactly their length, on the files and on S3 alike.
public sealed class ImageUploadTests(ImageServiceApp app) : IClassFixture<ImageServiceApp>
{
    private const int Page = LinuxFiles.DirectAlignment;

    public static TheoryData<string, int[], bool> Shapes => new()
    {
        { "aligned buffers, then a short tail", [1 << 20, 1 << 20, 1000], true },
        { "aligned, an unaligned buffer, then aligned again", [8 * Page, -3 * Page, 4 * Page, 17], true },
        { "only a tail", [1000], false },
        { "nothing", [], false },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Commit_AnyMixOfBuffers_StoresExactlyTheBytesWritten(string shape, int[] writes, bool announceLength)
    {
        Assert.NotNull(shape);
        var ct = TestContext.Current.CancellationToken;
        var store = app.Services.GetRequiredService<IImageFileStore>();
        var imageId = Guid.NewGuid().ToString();
        var expected = new MemoryStream();

        var total = writes.Sum(Math.Abs);
        await using (var upload = await store.BeginUploadAsync(imageId, announceLength ? total : null, ct))
        {
            foreach (var write in writes)
            {
                var data = Buffer(Math.Abs(write), aligned: write > 0);
                expected.Write(data.Span);
                await upload.WriteAsync(data, ct);
            }

            await upload.CommitAsync(ct);
        }

        var stored = await store.OpenAsync(imageId, ct);
        Assert.NotNull(stored);
        await using var content = await stored.OpenRangeAsync(0, null, ct);
        var actual = new MemoryStream();
        await content.CopyToAsync(actual, ct);
        Assert.Equal(total, stored.Length);
        Assert.Equal(SHA256.HashData(expected.ToArray()), SHA256.HashData(actual.ToArray()));
        await store.DeleteAsync(imageId, ct);
    }

    [Theory]
    [InlineData(0, Page, 0, true)]
    [InlineData(0, 1 << 20, 1 << 20, true)]
    [InlineData(1, Page, 0, false)]
    [InlineData(0, Page + 1, 0, false)]
    [InlineData(0, Page, 512, false)]
    public void IsDirectAligned_AddressLengthAndOffset_AllMustBePageMultiples(int addressOffset, int length, long fileOffset, bool aligned)
    {
        var span = Buffer(length + addressOffset, aligned: true).Span[addressOffset..];

        Assert.Equal(aligned, LinuxFiles.IsDirectAligned(span, fileOffset));
    }

    // Random bytes; aligned: starting on a page boundary of a pinned array, as the import's buffers
    // do; otherwise deliberately one byte past one.
    private static Memory<byte> Buffer(int length, bool aligned)
    {
        var memory = aligned ? LinuxFiles.AllocateAligned(length) : LinuxFiles.AllocateAligned(length + 1)[1..];
        RandomNumberGenerator.Fill(memory.Span);
        return memory;
    }
}
