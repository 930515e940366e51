using ImageService.Api.Imports.Inspection;

namespace ImageService.Tests.Imports.Inspection;

// Streams a file into a fresh inspector the way the import does: chunk by chunk, stopping at the first
// refusal, then completing.
internal static class InspectorFeed
{
    public const long DefaultMaxVirtualSize = 1L << 40;

    public static InspectionResult Whole(ReadOnlySpan<byte> file, long maxVirtualSize = DefaultMaxVirtualSize) =>
        InChunks(file, () => int.MaxValue, maxVirtualSize);

    // Sizes from 1 byte to 1 MiB, spread evenly over powers of two so small and large chunks both occur.
    public static InspectionResult InRandomChunks(
        ReadOnlySpan<byte> file, int seed, long maxVirtualSize = DefaultMaxVirtualSize)
    {
        var random = new Random(seed);
        return InChunks(file, () => 1 + random.Next(1 << random.Next(0, 21)), maxVirtualSize);
    }

    public static InspectionResult InChunks(
        ReadOnlySpan<byte> file, Func<int> nextChunkSize, long maxVirtualSize = DefaultMaxVirtualSize)
    {
        var inspector = new DiskImageInspector(maxVirtualSize);
        var offset = 0;
        while (offset < file.Length)
        {
            var length = Math.Min(nextChunkSize(), file.Length - offset);
            var failure = inspector.Append(file.Slice(offset, length));
            offset += length;
            if (failure is not null)
            {
                var result = inspector.Complete();
                Assert.Equal(failure, result.Failure);
                return result;
            }
        }

        return inspector.Complete();
    }
}
