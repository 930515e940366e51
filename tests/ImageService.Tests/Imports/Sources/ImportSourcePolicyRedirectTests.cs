using ImageService.Api.Imports;
using ImageService.Api.Imports.Sources;

namespace ImageService.Tests.Imports.Sources;

public sealed class ImportSourcePolicyRedirectTests
{
    private static readonly ImportSourcePolicy Policy = new(new ImportOptions
    {
        AllowedSources = ["https://good.example.com/bucket/", "http://good.example.com/bucket/", "http://127.0.0.1:9000"],
    });

    private static readonly Uri Current = new("https://good.example.com/bucket/dir/x.qcow2?sig=1");

    [Theory]
    [InlineData("https://good.example.com/bucket/y.qcow2", "https://good.example.com/bucket/y.qcow2")]
    [InlineData("//good.example.com/bucket/y.qcow2", "https://good.example.com/bucket/y.qcow2")]
    [InlineData("/bucket/y.qcow2", "https://good.example.com/bucket/y.qcow2")]
    [InlineData("y.qcow2", "https://good.example.com/bucket/dir/y.qcow2")]
    [InlineData("../y.qcow2", "https://good.example.com/bucket/y.qcow2")]
    [InlineData("?sig=2", "https://good.example.com/bucket/dir/x.qcow2?sig=2")]
    [InlineData("y.qcow2#part", "https://good.example.com/bucket/dir/y.qcow2")]
    public void CheckRedirect_TargetUnderAllowedSource_ResolvesAgainstCurrentUrl(string location, string expected)
    {
        var verdict = Policy.CheckRedirect(Current, location);

        Assert.True(verdict.IsAllowed, verdict.Detail);
        Assert.Equal(expected, verdict.Url.AbsoluteUri);
    }

    [Theory]
    [InlineData("")]
    [InlineData("#only")]
    [InlineData("https://evil.example.net/bucket/y.qcow2")]
    [InlineData("//evil.example.net/bucket/y.qcow2")]
    [InlineData("//0x7f000001:9000/y.qcow2")]
    [InlineData("http://2130706433:9000/y.qcow2")]
    [InlineData("http://localhost:9000/y.qcow2")]
    [InlineData("\\\\evil.example.net/bucket/y.qcow2")]
    [InlineData("../../other/y.qcow2")]
    [InlineData("/bucket/%2e%2e/other/y.qcow2")]
    [InlineData("https://good.example.com@evil.example.net/bucket/y.qcow2")]
    [InlineData("file:///etc/passwd")]
    [InlineData("y.img")]
    public void CheckRedirect_TargetNotAllowed_RefusesAsRedirectRefused(string location)
    {
        var verdict = Policy.CheckRedirect(Current, location);

        Assert.False(verdict.IsAllowed);
        Assert.Equal("redirect_refused", verdict.Code);
    }

    [Fact]
    public void CheckRedirect_HttpsToHttp_Refuses()
    {
        var verdict = Policy.CheckRedirect(Current, "http://good.example.com/bucket/y.qcow2");

        Assert.Equal("redirect_refused", verdict.Code);
        Assert.Contains("https to http", verdict.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckRedirect_HttpToHttps_Allows()
    {
        var verdict = Policy.CheckRedirect(new Uri("http://good.example.com/bucket/x.qcow2"), "https://good.example.com/bucket/x.qcow2");

        Assert.True(verdict.IsAllowed, verdict.Detail);
    }
}
