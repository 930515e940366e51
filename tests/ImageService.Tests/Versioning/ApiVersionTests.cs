using ImageService.Api.Versioning;

namespace ImageService.Tests.Versioning;

public sealed class ApiVersionTests
{
    [Theory]
    [InlineData("virtualserver 1.0", 1, 0)]
    [InlineData("virtualserver 1.3", 1, 3)]
    [InlineData("virtualserver 2.10", 2, 10)]
    [InlineData("VirtualServer 1.3", 1, 3)]
    [InlineData("VIRTUALSERVER 1.2", 1, 2)]
    [InlineData(" virtualserver 1.3 ", 1, 3)]
    [InlineData("virtualserver 0.0", 0, 0)]
    public void TryParseHeader_WellFormed_ReturnsTheVersion(string header, int major, int minor)
    {
        var parsed = ApiVersion.TryParseHeader(header, out var version);

        Assert.True(parsed);
        Assert.Equal(new ApiVersion(major, minor), version);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("virtualserver")]
    [InlineData("virtualserver ")]
    [InlineData("1.3")]
    [InlineData("virtualserver 1.x")]
    [InlineData("virtualserver 1")]
    [InlineData("virtualserver 1.")]
    [InlineData("virtualserver .3")]
    [InlineData("virtualserver 1.3.0")]
    [InlineData("virtualserver  1.3")]
    [InlineData("virtualserver\t1.3")]
    [InlineData("virtualserver v1.3")]
    [InlineData("virtualserver 01.3")]
    [InlineData("virtualserver 1.03")]
    [InlineData("virtualserver -1.3")]
    [InlineData("virtualserver +1.3")]
    [InlineData("virtualserver 1.3, virtualserver 1.2")]
    [InlineData("virtualserver 99999.1")]
    [InlineData("compute 1.3")]
    [InlineData("virtualserver1.3")]
    [InlineData("virtualserver 1.3 extra")]
    [InlineData("virtualserver 1.٣")]
    public void TryParseHeader_Malformed_Refuses(string header)
    {
        var parsed = ApiVersion.TryParseHeader(header, out _);

        Assert.False(parsed);
    }

    [Theory]
    [InlineData("1.0", "1.1")]
    [InlineData("1.1", "1.2")]
    [InlineData("1.9", "1.10")]
    [InlineData("1.10", "2.0")]
    public void CompareTo_OrdersByMajorThenMinor(string lower, string higher)
    {
        Assert.True(ApiVersion.TryParse(lower, out var low));
        Assert.True(ApiVersion.TryParse(higher, out var high));

        Assert.True(low < high);
        Assert.True(high > low);
        Assert.True(low <= high);
        Assert.True(high >= low);
        Assert.True(low.CompareTo(high) < 0);
    }

    [Fact]
    public void Formats_HeaderIdAndText_AreTheContractForms()
    {
        var version = new ApiVersion(1, 3);

        Assert.Equal("virtualserver 1.3", version.HeaderValue);
        Assert.Equal("v1.3", version.Id);
        Assert.Equal("1.3", version.ToString());
    }
}
