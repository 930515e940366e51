namespace ImageService.Api.Imports.Sources;

/// <summary>Why a source could not be downloaded: a stable code and a sentence saying what to change.</summary>
internal sealed record SourceFailure(string Code, string Detail);
