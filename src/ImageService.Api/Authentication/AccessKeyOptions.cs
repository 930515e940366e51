using System.ComponentModel.DataAnnotations;

namespace ImageService.Api.Authentication;

internal sealed class AccessKeyOptions
{
    public const string Section = "Authentication";

    // How long a node trusts a key it has read (and decrypted) without reading it again: every
    // request is signed, so a database read and a decryption per request would dominate. A key
    // revoked on another node, or by the `keys revoke` command, stops working within this time.
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    // SCP documents a signature as valid for 15 minutes.
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan TimestampSkew { get; set; } = TimeSpan.FromMinutes(15);
}
