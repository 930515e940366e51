using Microsoft.AspNetCore.Http.Features;

namespace ImageService.Api.ImageFiles;

// Kestrel has no sendfile(2): its SendFileAsync reads the file through a FileStream into a 64 KiB
// buffer and copies that into the connection's 4 KiB pipe blocks, one flush per read, which served a
// 1 GiB image at about half of nginx's rate (docs/benchmarks.md). This feature keeps the framework's
// file result for all the HTTP work (conditional requests, If-Range, Range or 416, HEAD) and only
// changes how the chosen bytes move: each pread lands straight in a 1 MiB block of the response pipe
// (the pipe gives blocks above its pool's size from the array pool), so the data is copied once in
// user space and goes out in one send per MiB.
internal sealed class LargeChunkSendFileFeature(IHttpResponseBodyFeature inner) : IHttpResponseBodyFeature
{
    public const int ChunkSize = 1 << 20;

    public Stream Stream => inner.Stream;

    public System.IO.Pipelines.PipeWriter Writer => inner.Writer;

    // Replaces the response body feature of one request; any later wrapper still sees this one.
    public static void Install(HttpContext context)
    {
        if (context.Features.Get<IHttpResponseBodyFeature>() is { } current and not LargeChunkSendFileFeature)
        {
            context.Features.Set<IHttpResponseBodyFeature>(new LargeChunkSendFileFeature(current));
        }
    }

    public void DisableBuffering() => inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task CompleteAsync() => inner.CompleteAsync();

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(file);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, length);
        var remaining = count ?? length - offset;
        ArgumentOutOfRangeException.ThrowIfNegative(remaining, nameof(count));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(remaining, length - offset, nameof(count));

        await inner.StartAsync(cancellationToken);
        var writer = inner.Writer;
        while (remaining > 0)
        {
            var block = writer.GetMemory(ChunkSize);
            var want = (int)Math.Min(Math.Min(block.Length, ChunkSize), remaining);
            var read = await RandomAccess.ReadAsync(file, block[..want], offset, cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException($"The file ended {remaining} bytes before the range it was to send.");
            }

            writer.Advance(read);
            offset += read;
            remaining -= read;
            var flushed = await writer.FlushAsync(cancellationToken);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                // The client went away: Kestrel ends the response, as its own copy does.
                cancellationToken.ThrowIfCancellationRequested();
                return;
            }
        }
    }
}
