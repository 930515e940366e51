using System.Diagnostics.CodeAnalysis;
using ImageService.Api.Imports.Sources;
using ImageService.Api.Storage;

namespace ImageService.Api.Imports;

// What StoreAsync copies from, whichever way it comes: an upload's request body, a source's download
// (which reconnects by itself when it can, SourceDownloads), or, after a take-over, the rest of a
// download together with the upload a dead node began and the prefix it staged (ImportTakeover). It
// owns the response and a reopened upload until StoreAsync takes the upload, so that a step that
// fails before the copy (the quota) still removes the staging data the take-over reopened.
internal sealed class ImportContent : IAsyncDisposable
{
    private readonly SourceResponse? _response;
    private ResumedUpload? _resumed;

    private ImportContent(Stream? body, long? length, SourceResponse? response, ResumedUpload? resumed, SourceFailure? failure)
    {
        Body = body;
        Length = length;
        _response = response;
        _resumed = resumed;
        Staged = resumed is null ? null : new StagedPrefix(resumed.Staged, resumed.StagedBytes);
        Failure = failure;
    }

    [MemberNotNullWhen(true, nameof(Body))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsOpen => Body is not null;

    // The bytes still to fetch; Length is the whole image's, when known.
    public Stream? Body { get; }

    public long? Length { get; }

    public SourceFailure? Failure { get; }

    // The staged data a take-over goes on from, read back for the hashes before Body.
    public StagedPrefix? Staged { get; }

    // What a node taking the job over would go on from (If-Range): only for a source that answers
    // ranges; an upload has no source to ask again.
    public string? Validator => _response is { AcceptsRanges: true, Validator: { } validator } ? validator : null;

    // Reconnections in this attempt, and one for a take-over that went on from staged data.
    public int Resumes => (_response?.Resumes ?? 0) + (Staged is null ? 0 : 1);

    public static ImportContent Of(Stream body, long? length) => new(body, length, null, null, null);

    public static ImportContent From(SourceResponse response, ResumedUpload? resumed = null) => response.IsOpen
        ? new(response.Content, response.ContentLength, response, resumed, null)
        : new(null, null, response, null, response.Failure);

    public static ImportContent Failed(SourceFailure failure) => new(null, null, null, null, failure);

    // The upload the data goes to, which the caller owns from now on: the reopened one after a
    // take-over, or a new one.
    public async Task<IImageUpload> BeginUploadAsync(IImageFileStore store, string imageId, CancellationToken ct)
    {
        if (_resumed is { } resumed)
        {
            _resumed = null;
            return resumed.Upload;
        }

        return await store.BeginUploadAsync(imageId, Length, ct);
    }

    public async ValueTask DisposeAsync()
    {
        // An upload nobody took deletes what it staged when disposed.
        if (_resumed is { } resumed)
        {
            _resumed = null;
            await resumed.Upload.DisposeAsync();
        }

        if (Staged is { } staged)
        {
            await staged.Content.DisposeAsync();
        }

        if (_response is not null)
        {
            await _response.DisposeAsync();
        }
    }
}
