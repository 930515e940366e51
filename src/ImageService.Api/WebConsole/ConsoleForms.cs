using System.Globalization;

namespace ImageService.Api.WebConsole;

internal static class ConsoleForms
{
    // A number field as typed: empty means not given; anything but a whole number is refused with
    // the API's own text for the field, beside it.
    public static int? WholeNumber(string? text, string field, string detail, FormErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(field, detail);
        return null;
    }
}
