namespace ImageService.Api.Imports;

// One row per import attempt: the database is the queue, so a job survives restarts and is
// claimed by exactly one node through a conditional update on State and LeaseExpiresAt.
internal sealed class ImportJob
{
    public long Id { get; init; }

    public required string ImageId { get; init; }

    public required string AccountId { get; init; }

    // Empty for an upload (Uploads/): its bytes come from the client's request, not from a URL.
    public required string Url { get; init; }

    public required string State { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseExpiresAt { get; set; }

    public int Attempts { get; set; }

    public long BytesDone { get; set; }

    public long? BytesTotal { get; set; }

    // What the running import holds against its account's byte quota (docs/quotas.md): the source's
    // announced length, or all the room the account had when the source announced none.
    public long ReservedBytes { get; set; }

    // Where partial data lives while the job runs (a temporary file name or a multipart upload id),
    // so that a sweep after a crash can remove exactly what the job left.
    public string? StagingKey { get; set; }

    // What the client said the data is (X-Image-Checksum as "algorithm:hex", X-Image-Size), kept on
    // the row because the node that runs the job need not be the one that took the request.
    public string? ExpectedChecksum { get; init; }

    public long? ExpectedSize { get; init; }

    // What a node taking the job over needs to go on instead of starting again (docs/imports.md,
    // "Resume"): how much of the staging data is durable, and the validator (a strong ETag, else
    // Last-Modified) of the source's version it came from, for If-Range.
    public long StagedBytes { get; set; }

    public string? SourceValidator { get; set; }

    // How many times the download reconnected and went on where it broke, over all attempts.
    public int Resumes { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorDetail { get; set; }

    public required DateTime CreatedAt { get; init; }

    public DateTime? StartedAt { get; set; }

    public required DateTime UpdatedAt { get; set; }
}
