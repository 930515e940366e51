using System.Globalization;
using ImageService.Protocol;

namespace ImageService.Api.Versioning;

internal readonly record struct ApiVersion(int Major, int Minor) : IComparable<ApiVersion>
{
    public static readonly ApiVersion V1Dot0 = new(1, 0);
    public static readonly ApiVersion V1Dot1 = new(1, 1);
    public static readonly ApiVersion V1Dot2 = new(1, 2);
    public static readonly ApiVersion V1Dot3 = new(1, 3);

    public string HeaderValue => string.Create(CultureInfo.InvariantCulture, $"{ScpHeaders.ServiceName} {Major}.{Minor}");

    public string Id => string.Create(CultureInfo.InvariantCulture, $"v{Major}.{Minor}");

    public int CompareTo(ApiVersion other) => Major != other.Major ? Major.CompareTo(other.Major) : Minor.CompareTo(other.Minor);

    public static bool operator <(ApiVersion left, ApiVersion right) => left.CompareTo(right) < 0;

    public static bool operator >(ApiVersion left, ApiVersion right) => left.CompareTo(right) > 0;

    public static bool operator <=(ApiVersion left, ApiVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >=(ApiVersion left, ApiVersion right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}");

    // "X.Y": digits only, no sign, no spaces, no leading zeros beyond a single 0.
    public static bool TryParse(ReadOnlySpan<char> text, out ApiVersion version)
    {
        version = default;
        var dot = text.IndexOf('.');
        if (dot <= 0 || !TryParsePart(text[..dot], out var major) || !TryParsePart(text[(dot + 1)..], out var minor))
        {
            return false;
        }

        version = new ApiVersion(major, minor);
        return true;
    }

    // The header is "virtualserver X.Y"; the service name is compared without regard to case.
    public static bool TryParseHeader(string header, out ApiVersion version)
    {
        version = default;
        var span = header.AsSpan().Trim();
        var space = span.IndexOf(' ');
        return space > 0 &&
               span[..space].Equals(ScpHeaders.ServiceName, StringComparison.OrdinalIgnoreCase) &&
               TryParse(span[(space + 1)..], out version);
    }

    private static bool TryParsePart(ReadOnlySpan<char> part, out int value)
    {
        value = 0;
        if (part.Length is 0 or > 4 || (part.Length > 1 && part[0] == '0'))
        {
            return false;
        }

        foreach (var c in part)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    // Handlers take the version the middleware resolved as a parameter.
    public static ValueTask<ApiVersion?> BindAsync(HttpContext context) =>
        ValueTask.FromResult(context.Features.Get<VersionDecision>()?.Version);
}
