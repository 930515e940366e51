using System.ComponentModel.DataAnnotations;
using ImageService.Api.Imports;
using ImageService.Api.Imports.Sources;

namespace ImageService.Tests.Imports.Sources;

public sealed class AllowedSourceTests
{
    [Theory]
    [InlineData("https://object-store.example.com/bucket/")]
    [InlineData("https://object-store.example.com/bucket")]
    [InlineData("https://object-store.example.com")]
    [InlineData("http://127.0.0.1:9000")]
    [InlineData("http://localhost:9000/")]
    [InlineData("http://[::1]:9000/images/")]
    public void TryParse_PrefixEntry_Parses(string entry)
    {
        var parsed = AllowedSource.TryParse(entry, out var source, out var error);

        Assert.True(parsed, error);
        Assert.NotNull(source);
    }

    [Theory]
    [InlineData("object-store.example.com/bucket/")]
    [InlineData("ftp://object-store.example.com/")]
    [InlineData("https://user:pw@object-store.example.com/")]
    [InlineData("https://object-store.example.com/bucket/?x=1")]
    [InlineData("https://object-store.example.com/#x")]
    [InlineData("http://2130706433:9000")]
    [InlineData("https://object-store.example.com./")]
    public void TryParse_BadEntry_ExplainsWithoutEchoingIt(string entry)
    {
        var parsed = AllowedSource.TryParse(entry, out _, out var error);

        Assert.False(parsed);
        Assert.DoesNotContain(entry, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadAllowedSource_FailsValidationNamingTheIndex()
    {
        var options = new ImportOptions { AllowedSources = ["https://ok.example.com/", "https://user:pw@bad.example.com/"] };
        var results = new List<ValidationResult>();

        var valid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.False(valid);
        var result = Assert.Single(results);
        Assert.StartsWith("Import:AllowedSources:1 ", result.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("pw@", result.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_AreValidAndAllowNothing()
    {
        var options = new ImportOptions();
        var results = new List<ValidationResult>();

        var valid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.True(valid);
        Assert.Empty(options.AllowedSources);
        Assert.Equal(1L << 40, options.MaxImageBytes);
        Assert.Equal(16L << 40, options.MaxVirtualSizeBytes);
        Assert.Equal(3, options.MaxRedirects);
    }

    [Fact]
    public void Validate_OutOfRangeValue_Fails()
    {
        var options = new ImportOptions { MaxRedirects = 50, ReadIdleTimeout = TimeSpan.Zero };
        var results = new List<ValidationResult>();

        var valid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Equal(2, results.Count);
    }
}
