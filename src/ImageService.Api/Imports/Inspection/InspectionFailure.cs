namespace ImageService.Api.Imports.Inspection;

// Code is one of InspectionFailureCodes and maps one to one onto the import's error code on the wire;
// Detail is a sentence for the person who uploaded the image.
internal sealed record InspectionFailure(string Code, string Detail);
