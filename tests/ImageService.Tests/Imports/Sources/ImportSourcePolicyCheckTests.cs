using ImageService.Api.Imports;
using ImageService.Api.Imports.Sources;

namespace ImageService.Tests.Imports.Sources;

public sealed class ImportSourcePolicyCheckTests
{
    private static readonly ImportSourcePolicy Policy = new(new ImportOptions
    {
        AllowedSources =
        [
            "https://good.example.com/bucket/",
            "https://objects.example.com/team",
            "http://127.0.0.1:9000",
            "http://[2001:db8::10]:8080/images/",
        ],
    });

    [Theory]
    // Not absolute.
    [InlineData("", "url_not_absolute")]
    [InlineData("bucket/x.qcow2", "url_not_absolute")]
    [InlineData("/bucket/x.qcow2", "url_not_absolute")]
    [InlineData("//good.example.com/bucket/x.qcow2", "url_not_absolute")]
    [InlineData("https:/good.example.com/bucket/x.qcow2", "url_not_absolute")]
    [InlineData("https:///bucket/x.qcow2", "url_not_absolute")]
    // Schemes.
    [InlineData("ftp://good.example.com/bucket/x.qcow2", "url_scheme_not_allowed")]
    [InlineData("file:///etc/x.qcow2", "url_scheme_not_allowed")]
    [InlineData("gopher://127.0.0.1:9000/x.qcow2", "url_scheme_not_allowed")]
    [InlineData("localhost:9000/x.qcow2", "url_scheme_not_allowed")]
    // User info, including the "looks like good, goes to evil" form.
    [InlineData("https://user:pw@good.example.com/bucket/x.qcow2", "url_has_user_info")]
    [InlineData("https://good.example.com@evil.example.net/bucket/x.qcow2", "url_has_user_info")]
    [InlineData("https://@good.example.com/bucket/x.qcow2", "url_has_user_info")]
    [InlineData("http://127.0.0.1:9000@169.254.169.254/x.qcow2", "url_has_user_info")]
    // Numeric hosts that Uri would quietly turn into 127.0.0.1.
    [InlineData("http://2130706433:9000/x.qcow2", "url_host_not_canonical")]
    [InlineData("http://0x7f000001:9000/x.qcow2", "url_host_not_canonical")]
    [InlineData("http://0x7f.0.0.1:9000/x.qcow2", "url_host_not_canonical")]
    [InlineData("http://0177.0.0.1:9000/x.qcow2", "url_host_not_canonical")]
    [InlineData("http://127.1:9000/x.qcow2", "url_host_not_canonical")]
    [InlineData("http://127.0.1:9000/x.qcow2", "url_host_not_canonical")]
    [InlineData("http://127.0.0.01:9000/x.qcow2", "url_host_not_canonical")]
    [InlineData("http://127.0.0.256:9000/x.qcow2", "url_host_not_canonical")]
    [InlineData("http://1.2.3.4.5:9000/x.qcow2", "url_host_not_canonical")]
    [InlineData("http://evil.0x7f:9000/x.qcow2", "url_host_not_canonical")]
    // Trailing dots: one spelling per host.
    [InlineData("http://127.0.0.1.:9000/x.qcow2", "url_host_not_canonical")]
    [InlineData("https://good.example.com./bucket/x.qcow2", "url_host_not_canonical")]
    // Percent-encoded hosts, zone identifiers, IPvFuture, bad names.
    [InlineData("http://%31%32%37.0.0.1:9000/x.qcow2", "url_host_not_canonical")]
    [InlineData("https://good%2eexample.com/bucket/x.qcow2", "url_host_not_canonical")]
    [InlineData("http://[fe80::1%25eth0]:9000/x.qcow2", "url_host_not_canonical")]
    [InlineData("http://[v1.fe80::1]:9000/x.qcow2", "url_host_not_canonical")]
    [InlineData("http://[127.0.0.1]:9000/x.qcow2", "url_host_not_canonical")]
    [InlineData("http://[::1:9000/x.qcow2", "url_host_not_canonical")]
    [InlineData("https://-good.example.com/bucket/x.qcow2", "url_host_not_canonical")]
    [InlineData("https://good_example.com/bucket/x.qcow2", "url_host_not_canonical")]
    [InlineData("https://good..example.com/bucket/x.qcow2", "url_host_not_canonical")]
    // Characters parsers disagree about.
    [InlineData("http://127.0.0.1:9000\\@evil.example.net/x.qcow2", "url_malformed")]
    [InlineData("https://good.example.com/bucket\\..\\other/x.qcow2", "url_malformed")]
    [InlineData(" https://good.example.com/bucket/x.qcow2", "url_malformed")]
    [InlineData("https://good.example.com/bucket/x.qcow2\n", "url_malformed")]
    [InlineData("https://good.exa\tmple.com/bucket/x.qcow2", "url_malformed")]
    [InlineData("https://gööd.example.com/bucket/x.qcow2", "url_malformed")]
    [InlineData("https://good.example.com/bucket/x<y>.qcow2", "url_malformed")]
    [InlineData("https://good.example.com/bucket/%zz.qcow2", "url_malformed")]
    [InlineData("https://good.example.com:/bucket/x.qcow2", "url_malformed")]
    [InlineData("https://good.example.com:0/bucket/x.qcow2", "url_malformed")]
    [InlineData("https://good.example.com:65536/bucket/x.qcow2", "url_malformed")]
    [InlineData("https://good.example.com:443x/bucket/x.qcow2", "url_malformed")]
    [InlineData("https://good.example.com/bucket/x.qcow2#frag", "url_has_fragment")]
    [InlineData("https://good.example.com#@evil.example.net/bucket/x.qcow2", "url_has_fragment")]
    // Encoded separators that a decoding server would split on.
    [InlineData("https://good.example.com/bucket/..%2fother/x.qcow2", "url_path_ambiguous")]
    [InlineData("https://good.example.com/bucket/a%5Cb.qcow2", "url_path_ambiguous")]
    [InlineData("https://good.example.com/bucket/a%00.qcow2", "url_path_ambiguous")]
    // Not a qcow2 path.
    [InlineData("https://good.example.com/bucket/x.img", "url_not_qcow2")]
    [InlineData("https://good.example.com/bucket/x?.qcow2", "url_not_qcow2")]
    [InlineData("https://good.example.com/bucket/x.QCOW2", "url_not_qcow2")]
    [InlineData("https://good.example.com/bucket/x.qcow2/..", "url_not_qcow2")]
    // Outside every allowed source.
    [InlineData("https://good.example.com.evil.example.net/bucket/x.qcow2", "url_source_not_allowed")]
    [InlineData("https://evil.example.net/good.example.com/bucket/x.qcow2", "url_source_not_allowed")]
    [InlineData("https://evil.example.net/bucket/x.qcow2?https://good.example.com/bucket/", "url_source_not_allowed")]
    [InlineData("http://good.example.com/bucket/x.qcow2", "url_source_not_allowed")]
    [InlineData("https://good.example.com:8443/bucket/x.qcow2", "url_source_not_allowed")]
    [InlineData("https://good.example.com/bucket2/x.qcow2", "url_source_not_allowed")]
    [InlineData("https://good.example.com/bucket", "url_not_qcow2")]
    [InlineData("https://good.example.com/Bucket/x.qcow2", "url_source_not_allowed")]
    [InlineData("https://objects.example.com/team2/x.qcow2", "url_source_not_allowed")]
    [InlineData("https://objects.example.com/team.qcow2", "url_source_not_allowed")]
    [InlineData("https://good.example.com/bucket/../other/x.qcow2", "url_source_not_allowed")]
    [InlineData("https://good.example.com/bucket/%2e%2e/other/x.qcow2", "url_source_not_allowed")]
    [InlineData("https://good.example.com/bucket/%2E%2E/%2E%2E/x.qcow2", "url_source_not_allowed")]
    [InlineData("https://good.example.com/bucket/.%2e/other/x.qcow2", "url_source_not_allowed")]
    [InlineData("https://good.example.com/%62ucket2/x.qcow2", "url_source_not_allowed")]
    [InlineData("http://127.0.0.1:9001/x.qcow2", "url_source_not_allowed")]
    [InlineData("http://127.0.0.2:9000/x.qcow2", "url_source_not_allowed")]
    [InlineData("http://localhost:9000/x.qcow2", "url_source_not_allowed")]
    [InlineData("https://127.0.0.1:9000/x.qcow2", "url_source_not_allowed")]
    [InlineData("http://[::1]:9000/x.qcow2", "url_source_not_allowed")]
    [InlineData("http://[::ffff:127.0.0.1]:9001/x.qcow2", "url_source_not_allowed")]
    [InlineData("http://[2001:db8::10]:8080/other/x.qcow2", "url_source_not_allowed")]
    public void Check_BadUrl_RefusesWithCode(string url, string code)
    {
        var verdict = Policy.Check(url);

        Assert.False(verdict.IsAllowed);
        Assert.Equal(code, verdict.Code);
        Assert.EndsWith(".", verdict.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://good.example.com/bucket/x.qcow2", "https://good.example.com/bucket/x.qcow2")]
    [InlineData("HTTPS://GOOD.Example.COM/bucket/x.qcow2", "https://good.example.com/bucket/x.qcow2")]
    [InlineData("https://good.example.com:443/bucket/x.qcow2", "https://good.example.com/bucket/x.qcow2")]
    [InlineData("https://good.example.com/bucket/sub/../x.qcow2", "https://good.example.com/bucket/x.qcow2")]
    [InlineData("https://good.example.com/bucket/./sub/x.qcow2", "https://good.example.com/bucket/sub/x.qcow2")]
    [InlineData("https://good.example.com/%62ucket/%78.qcow2", "https://good.example.com/bucket/x.qcow2")]
    [InlineData("https://good.example.com/bucket/a%20b%3a.qcow2", "https://good.example.com/bucket/a%20b%3A.qcow2")]
    [InlineData("https://good.example.com/bucket/x.qcow2?X-Amz-Credential=a%2Fb&X-Amz-Signature=c",
        "https://good.example.com/bucket/x.qcow2?X-Amz-Credential=a%2Fb&X-Amz-Signature=c")]
    [InlineData("https://objects.example.com/team/x.qcow2", "https://objects.example.com/team/x.qcow2")]
    [InlineData("http://127.0.0.1:9000/any/where/x.qcow2", "http://127.0.0.1:9000/any/where/x.qcow2")]
    [InlineData("http://[::ffff:127.0.0.1]:9000/x.qcow2", "http://127.0.0.1:9000/x.qcow2")]
    [InlineData("http://[::FFFF:7f00:1]:9000/x.qcow2", "http://127.0.0.1:9000/x.qcow2")]
    [InlineData("http://[2001:0db8:0:0::10]:8080/images/x.qcow2", "http://[2001:db8::10]:8080/images/x.qcow2")]
    public void Check_UrlUnderAllowedSource_AllowsCanonicalUrl(string url, string canonical)
    {
        var verdict = Policy.Check(url);

        Assert.True(verdict.IsAllowed, verdict.Detail);
        Assert.Equal(canonical, verdict.Url.AbsoluteUri);
    }

    [Fact]
    public void Check_NoAllowedSources_SaysOperatorMustConfigureThem()
    {
        var policy = new ImportSourcePolicy(new ImportOptions());

        var verdict = policy.Check("https://good.example.com/bucket/x.qcow2");

        Assert.Equal("import_sources_not_configured", verdict.Code);
        Assert.Contains("Import:AllowedSources", verdict.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://user:s3cret-pw@good.example.com/bucket/x.qcow2")]
    [InlineData("https://evil.example.net/x.qcow2?X-Amz-Signature=s3cret-pw")]
    [InlineData("https://good.example.com/bucket/s3cret-pw.img?X-Amz-Signature=s3cret-pw")]
    public void Check_RefusedUrl_DetailDoesNotEchoIt(string url)
    {
        var verdict = Policy.Check(url);

        Assert.False(verdict.IsAllowed);
        Assert.DoesNotContain("s3cret", verdict.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("good.example.com", verdict.Detail, StringComparison.Ordinal);
    }
}
