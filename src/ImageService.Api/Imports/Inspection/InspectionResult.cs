using System.Diagnostics.CodeAnalysis;

namespace ImageService.Api.Imports.Inspection;

// The verdict on a whole image: accepted with its virtual size, or refused with a failure. The private
// constructor keeps the two apart, so a result never carries both a size and a failure.
internal sealed record InspectionResult
{
    private InspectionResult(long virtualSize, InspectionFailure? failure)
    {
        VirtualSize = virtualSize;
        Failure = failure;
    }

    public long VirtualSize { get; }

    public InspectionFailure? Failure { get; }

    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    public static InspectionResult Success(long virtualSize) => new(virtualSize, null);

    public static InspectionResult Failed(InspectionFailure failure) => new(0, failure);

    public static InspectionResult Failed(string code, string detail) => new(0, new InspectionFailure(code, detail));
}
