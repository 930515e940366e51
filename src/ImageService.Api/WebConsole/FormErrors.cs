using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace ImageService.Api.WebConsole;

// The errors of one form post, each beside its field or, when it concerns the whole request, above
// the form.
internal sealed class FormErrors
{
    private readonly Dictionary<string, List<string>> _fields = new(StringComparer.Ordinal);

    public List<string> General { get; } = [];

    public bool Any => General.Count > 0 || _fields.Count > 0;

    // The status the page answers with: the API's own for its refusal.
    public int Status { get; private set; } = StatusCodes.Status400BadRequest;

    public void AddFrom(IResult result, params string[] fields)
    {
        if (result is IStatusCodeHttpResult { StatusCode: { } status })
        {
            Status = status;
        }

        foreach (var error in ConsoleCalls.ErrorsOf(result))
        {
            Add(ConsoleCalls.FieldOf(error, fields), error.Detail);
        }
    }

    public void Add(string? field, string detail)
    {
        if (field is null)
        {
            General.Add(detail);
            return;
        }

        if (!_fields.TryGetValue(field, out var list))
        {
            _fields[field] = list = [];
        }

        list.Add(detail);
    }

    // The errors of one field, as the paragraph its input's aria-describedby names ("<id>-error").
    public IHtmlContent Render(string field, string id)
    {
        var errors = For(field);
        if (errors.Count == 0)
        {
            return HtmlString.Empty;
        }

        var encoder = HtmlEncoder.Default;
        return new HtmlString($"<p class=\"field-error\" id=\"{encoder.Encode(id)}-error\">{encoder.Encode(string.Join(" ", errors))}</p>");
    }

    public IReadOnlyList<string> For(string field) => _fields.TryGetValue(field, out var list) ? list : [];
}
