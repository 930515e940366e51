using ImageService.Api.Audit;
using ImageService.Api.Authentication;
using ImageService.Api.Data;
using ImageService.Api.Images;
using ImageService.Api.Imports;
using ImageService.Api.Imports.Sources;
using ImageService.Api.Quotas;
using ImageService.Api.Sharing;
using ImageService.Api.Storage;
using ImageService.Api.Wire;
using ImageService.Protocol.Audit;
using ImageService.Protocol.Images;
using ImageService.Protocol.Imports;
using ImageService.Protocol.Sharing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace ImageService.Api.WebConsole.Pages;

// One image: showImage, showImageImport and listImageMembers to read it; updateImage, deleteImage,
// importImage, createSharingImage and the member operations for its forms; listAuditEvents for its
// history. Each form posts to its
// own handler and, when the API refuses, the page shows the refusal beside that form.
internal sealed class ImageModel(
    ImageDbContext db, ImportSourcePolicy policy, ImportSignal signal, IImageFileStore store, ImportCancellations imports,
    IOptionsMonitor<SharingOptions> sharing, AccountQuotas quotas, ILoggerFactory loggers, TimeProvider time) : PageModel
{
    private static readonly Dictionary<string, string> DoneMessages = new(StringComparer.Ordinal)
    {
        ["updated"] = "The image was updated.",
        ["imported"] = "The import was queued; its progress shows below.",
        ["shared"] = "The image is shared: add the accounts that may use it.",
        ["member-added"] = "The account was added; it sees the image once it accepts.",
        ["member-removed"] = "The account was removed.",
        ["accepted"] = "You accepted the image; it is in your list now.",
        ["rejected"] = "You rejected the image.",
    };

    public ImageShowResponse Image { get; private set; } = null!;

    public ImportStatusResponse? Import { get; private set; }

    public IReadOnlyList<ImageMemberShowResponse> Members { get; private set; } = [];

    // The account's own events for this image, newest first (docs/audit.md); the rest is a page of
    // listAuditEvents away, which the page names.
    public IReadOnlyList<AuditEventResponse> History { get; private set; } = [];

    public const int HistoryLength = 20;

    public FormErrors Errors { get; } = new();

    // Which form the errors belong to: update, delete, import, share, members or membership.
    public string? ErrorForm { get; private set; }

    public string? Done { get; private set; }

    public bool Missing { get; private set; }

    public bool Owned => Image.Owner == User.GetAccountId();

    public bool HasNoData => Image.Status is ImageStatus.Queued or ImageStatus.Killed;

    public bool InProgress => Image.Status is ImageStatus.Importing || (Image.Status is ImageStatus.Queued && Import?.State is "queued" or "running");

    public async Task<IActionResult> OnGetAsync(string id, string? done, CancellationToken ct)
    {
        Done = done is not null && DoneMessages.TryGetValue(done, out var message) ? message : null;
        return await LoadAsync(id, ct) ? Page() : NotFoundPage();
    }

    public async Task<IActionResult> OnPostUpdateAsync(string id, string? minDisk, string? minRam, bool @protected, string? visibility, CancellationToken ct)
    {
        var form = new FormErrors();
        var request = new ImageSetRequest
        {
            MinDisk = ConsoleForms.WholeNumber(minDisk, "min_disk", "min_disk must be 0 or more.", form),
            MinRam = ConsoleForms.WholeNumber(minRam, "min_ram", $"min_ram must be from 0 to {ImageRules.MaxMinRam}.", form),
            Protected = @protected,
            Visibility = visibility,
        };
        return form.Any
            ? await RefusedAsync(id, "update", null, form, ct)
            : await AfterAsync(id, "update", "updated", await ImagesApi.UpdateImage(
                id, JsonBody<ImageSetRequest>.Of(request), ConsoleCalls.Version(HttpContext), User, db, HttpContext, time, ct), ct);
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id, CancellationToken ct)
    {
        var result = (await ImagesApi.DeleteImage(id, User, db, store, imports, HttpContext, loggers, ct)).Result;
        return result is ScpErrorResult ? await RefusedAsync(id, "delete", result, null, ct) : LocalRedirect(ConsoleEndpoints.Path + "?done=deleted");
    }

    public async Task<IActionResult> OnPostImportAsync(string id, string? url, CancellationToken ct) =>
        await AfterAsync(id, "import", "imported", await ImportApi.ImportImage(
            id, JsonBody<ImageImportRequest>.Of(new ImageImportRequest(url)), User, db, policy, signal, quotas, HttpContext, time, ct), ct);

    public async Task<IActionResult> OnPostShareAsync(string id, CancellationToken ct) =>
        await AfterAsync(id, "share", "shared", await SharingApi.CreateSharingImage(id, User, db, HttpContext, time, ct), ct);

    public async Task<IActionResult> OnPostAddMemberAsync(string id, string? memberId, CancellationToken ct) =>
        await AfterAsync(id, "members", "member-added", await MembersApi.CreateImageMember(
            id, JsonBody<ImageMemberCreateRequest>.Of(new ImageMemberCreateRequest(memberId)), User, db, sharing, HttpContext, time, ct), ct);

    public async Task<IActionResult> OnPostRemoveMemberAsync(string id, string memberId, CancellationToken ct) =>
        await AfterAsync(id, "members", "member-removed", await MembersApi.DeleteImageMember(id, memberId, User, db, HttpContext, ct), ct);

    // Accept or reject as the member; from the pending list, back to it.
    public async Task<IActionResult> OnPostMembershipAsync(string id, string? status, string? back, CancellationToken ct)
    {
        var result = (await MembersApi.UpdateImageMember(
            id, User.GetAccountId(), JsonBody<ImageMemberSetRequest>.Of(new ImageMemberSetRequest(status)), User, db, HttpContext, time, ct)).Result;
        var done = status == MemberStatus.Accepted ? "accepted" : "rejected";
        return result is ScpErrorResult
            ? await RefusedAsync(id, "membership", result, null, ct)
            : LocalRedirect(back == "pending" ? $"{ConsoleEndpoints.Path}/pending?done={done}" : $"{ConsoleEndpoints.Path}/images/{id}?done={done}");
    }

    private async Task<IActionResult> AfterAsync(string id, string form, string done, INestedHttpResult answer, CancellationToken ct) =>
        answer.Result is ScpErrorResult result
            ? await RefusedAsync(id, form, result, null, ct)
            : LocalRedirect($"{ConsoleEndpoints.Path}/images/{id}?done={done}");

    // The page again, with the API's refusal beside the form that caused it and its status code.
    private async Task<IActionResult> RefusedAsync(string id, string form, IResult? result, FormErrors? errors, CancellationToken ct)
    {
        ErrorForm = form;
        if (result is not null)
        {
            Errors.AddFrom(result, "min_disk", "min_ram", "visibility", "url", "member_id");
        }

        foreach (var field in new[] { "min_disk", "min_ram" })
        {
            foreach (var detail in errors?.For(field) ?? [])
            {
                Errors.Add(field, detail);
            }
        }

        if (!await LoadAsync(id, ct))
        {
            return NotFoundPage();
        }

        Response.StatusCode = Errors.Status;
        return Page();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken ct)
    {
        var shown = (await ImagesApi.ShowImage(id, ConsoleCalls.Version(HttpContext), User, db, ct)).Result;
        if (ConsoleCalls.ValueOf<ImageShowResponse>(shown) is not { } image)
        {
            return false;
        }

        Image = image;
        Import = ConsoleCalls.ValueOf<ImportStatusResponse>((await ImportApi.ShowImageImport(id, User, db, ct)).Result);
        if (image.Visibility == ImageVisibility.Shared)
        {
            Members = ConsoleCalls.ValueOf<ImageMemberListResponse>((await MembersApi.ListImageMembers(id, User, db, ct)).Result)?.Members ?? [];
        }

        var history = await AuditApi.PageAsync(db, User.GetAccountId(), new AuditQuery(HistoryLength, null, id, null, null), ct);
        History = history?.AuditEvents ?? [];

        return true;
    }

    // The API's answer for an image this account cannot see: the same 404 whether it exists or not.
    private PageResult NotFoundPage()
    {
        Missing = true;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
