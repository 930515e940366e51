namespace ImageService.Api.Sharing;

internal static class MemberStatus
{
    public const string Pending = "pending";
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";

    public static readonly string[] All = [Pending, Accepted, Rejected];
}
