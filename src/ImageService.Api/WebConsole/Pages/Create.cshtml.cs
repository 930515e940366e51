using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Api.Imports;
using ImageService.Api.Imports.Sources;
using ImageService.Api.Quotas;
using ImageService.Api.Wire;
using ImageService.Protocol.Images;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ImageService.Api.WebConsole.Pages;

// createImage from a form: the same handler, so the same checks and texts, each shown beside its field.
internal sealed class CreateModel(ImageDbContext db, ImportSourcePolicy policy, ImportSignal signal, AccountQuotas quotas, TimeProvider time) : PageModel
{
    public static readonly string[] Fields = ["name", "os_distro", "url", "min_disk", "min_ram", "visibility", "protected"];

    public IReadOnlyList<string> OsDistros { get; private set; } = [];

    public FormErrors Errors { get; } = new();

    [BindProperty]
    public ImageForm Form { get; set; } = new();

    public void OnGet() => OsDistros = ImageRules.OsDistros(ConsoleCalls.Version(HttpContext));

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var version = ConsoleCalls.Version(HttpContext);
        OsDistros = ImageRules.OsDistros(version);
        var minDisk = ConsoleForms.WholeNumber(Form.MinDisk, "min_disk", "min_disk must be 0 or more.", Errors);
        var minRam = ConsoleForms.WholeNumber(Form.MinRam, "min_ram", $"min_ram must be from 0 to {ImageRules.MaxMinRam}.", Errors);
        if (Errors.Any)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var request = new ImageCreateRequest
        {
            Name = Form.Name,
            OsDistro = Form.OsDistro,
            Url = Form.Url,
            MinDisk = minDisk,
            MinRam = minRam,
            Visibility = Form.Visibility,
            Protected = Form.Protected,
        };
        var result = (await ImagesApi.CreateImage(JsonBody<ImageCreateRequest>.Of(request), version, User, db, policy, signal, quotas, HttpContext, time, ct)).Result;
        if (ConsoleCalls.ValueOf<ImageShowResponse>(result) is { } image)
        {
            return LocalRedirect($"{ConsoleEndpoints.Path}/images/{image.Id}");
        }

        Errors.AddFrom(result, Fields);
        Response.StatusCode = Errors.Status;
        return Page();
    }

    internal sealed class ImageForm
    {
        public string? Name { get; set; }

        public string? OsDistro { get; set; }

        public string? Url { get; set; }

        public string? MinDisk { get; set; }

        public string? MinRam { get; set; }

        public string? Visibility { get; set; }

        public bool Protected { get; set; }
    }
}
