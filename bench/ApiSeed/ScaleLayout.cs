namespace ImageService.Bench;

// How bench/scale.sh spreads its images: "one" gives every image to one account; "spread" gives
// them to one account per hundred images, each of which has one image of the next account shared
// with it and accepted (as many memberships as accounts). Either way a separate account has
// `pending` images shared with it that it has not answered, for the pending-images list.
internal sealed record ScaleLayout(string Name, int Images, int Pending)
{
    public const string PendingAccount = "bench-pending";
    public const string SharerAccount = "bench-sharer";

    public int Accounts => Name == "spread" ? Math.Max(1, Images / 100) : 1;

    // The account whose lists are measured.
    public string MeasuredAccount => Name == "spread" ? Account(0) : "bench-account";

    public string Account(int index) => Name == "spread" ? $"bench-acct-{index:D5}" : "bench-account";
}
