namespace ImageService.Api.Imports;

// What each progress write (which is also the lease's renewal) records: the status's numbers, and
// what a node taking the job over needs to go on from the staged data.
internal readonly record struct ImportProgress(
    long BytesDone, long? BytesTotal, string? StagingKey, long StagedBytes, string? SourceValidator, int Resumes);
