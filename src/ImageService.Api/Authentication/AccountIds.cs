namespace ImageService.Api.Authentication;

// Account ids follow the spec's member_id schema: 1 to 64 of [A-Za-z0-9-].
internal static class AccountIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? value) =>
        value is { Length: > 0 and <= MaxLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
