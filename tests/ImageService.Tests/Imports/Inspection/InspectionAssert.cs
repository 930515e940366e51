using ImageService.Api.Imports.Inspection;

namespace ImageService.Tests.Imports.Inspection;

internal static class InspectionAssert
{
    // Every refusal carries its code, a sentence for a person, and no virtual size.
    public static InspectionFailure Failed(string code, InspectionResult result)
    {
        Assert.False(result.Succeeded, $"Expected {code} but the image was accepted.");
        Assert.Equal(code, result.Failure.Code);
        Assert.False(string.IsNullOrWhiteSpace(result.Failure.Detail));
        Assert.EndsWith(".", result.Failure.Detail, StringComparison.Ordinal);
        Assert.Equal(0, result.VirtualSize);
        return result.Failure;
    }
}
