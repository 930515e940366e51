namespace ImageService.Protocol.Imports;

/// <summary>
/// The progress of an image's import, from <c>GET /v1/images/{id}/import</c>: an addition to the SCP
/// surface, so the SCP shapes themselves stay exact.
/// </summary>
/// <param name="State">queued, running, succeeded or failed.</param>
/// <param name="BytesDone">Bytes downloaded so far.</param>
/// <param name="BytesTotal">The source's length, when it said.</param>
/// <param name="StartedAt">When the download began.</param>
/// <param name="UpdatedAt">When the progress last changed.</param>
/// <param name="Error">Why it failed; null otherwise.</param>
/// <param name="ExpectedChecksum">The <c>X-Image-Checksum</c> the import was asked to verify (<c>sha256:…</c>); null when none.</param>
/// <param name="ExpectedSize">The <c>X-Image-Size</c> the import was asked to verify; null when none.</param>
/// <param name="VerifiedChecksum">Once succeeded, the expected checksum the data matched; null before, or when none was given.</param>
/// <param name="VerifiedSize">Once succeeded, the expected size the data matched; null before, or when none was given.</param>
/// <param name="Resumes">How many times the download broke and went on where it broke (a reconnection with
/// a Range request, or a node taking the job over and continuing from the data already stored).</param>
public sealed record ImportStatusResponse(
    string State,
    long BytesDone,
    long? BytesTotal,
    string? StartedAt,
    string UpdatedAt,
    ImportError? Error,
    string? ExpectedChecksum = null,
    long? ExpectedSize = null,
    string? VerifiedChecksum = null,
    long? VerifiedSize = null,
    int Resumes = 0);

/// <summary>Why an import failed.</summary>
/// <param name="Code">A stable snake_case code.</param>
/// <param name="Detail">A sentence for a person.</param>
public sealed record ImportError(string Code, string Detail);
