using System.Net;
using Microsoft.Extensions.Options;
using static ImageService.Api.Imports.Sources.ImportSourceCodes;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// Downloads a client-supplied URL as a stream, following redirects only where the import policy
/// allows them. Expected failures are returned as a <see cref="SourceFailure"/>, never thrown.
/// </summary>
internal sealed partial class ObjectStorageClient(
    HttpClient httpClient,
    ImportSourcePolicy policy,
    IOptionsMonitor<ImportOptions> options,
    TimeProvider timeProvider,
    ILogger<ObjectStorageClient> logger)
{
    /// <summary>
    /// Opens <paramref name="url"/> for reading. Its <see cref="Uri.OriginalString"/> is what gets
    /// checked, because <see cref="Uri"/> has already normalised forms such as http://0x7f000001/.
    /// </summary>
    public Task<SourceResponse> OpenAsync(Uri url, CancellationToken ct) => OpenAsync(url, null, ct);

    /// <summary>
    /// Opens a part of <paramref name="url"/>'s object (to resume a download, or one connection of a
    /// parallel one), through the same policy, redirects and connector as the first request. An answer
    /// that is not exactly that part of the same version fails as source_changed.
    /// </summary>
    public async Task<SourceResponse> OpenAsync(Uri url, SourceRange? range, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var verdict = policy.Check(url.OriginalString);

        // Redirects are followed here rather than by the handler so that each target goes through the
        // policy, as Glance's fix for OSSA-2026-004 does: SocketsHttpHandler would follow one to any host.
        for (var redirects = 0; ; redirects++)
        {
            if (!verdict.IsAllowed)
            {
                return SourceResponse.Failed(verdict.Code, verdict.Detail);
            }

            var current = verdict.Url;
            var (response, failure) = await SendAsync(current, range, settings, ct);
            if (response is null)
            {
                return SourceResponse.Failed(failure!);
            }

            if (!IsRedirect(response.StatusCode))
            {
                return await OpenContentAsync(response, range, settings, ct);
            }

            using (response)
            {
                if (redirects == settings.MaxRedirects)
                {
                    return SourceResponse.Failed(TooManyRedirects,
                        $"The source redirected more than {settings.MaxRedirects} times; give the object's final URL.");
                }

                // The raw header, not Headers.Location: that one is already a parsed Uri.
                if (!response.Headers.NonValidated.TryGetValues("Location", out var locations) || locations.Count != 1)
                {
                    return SourceResponse.Failed(SourceHttpError,
                        $"The source answered HTTP {(int)response.StatusCode} without one Location; give the object's final URL.");
                }

                verdict = policy.CheckRedirect(current, locations.ToString());
                if (verdict.IsAllowed)
                {
                    Log.RedirectFollowed(logger, (int)response.StatusCode, ForLog(current), ForLog(verdict.Url));
                }
                else
                {
                    Log.RedirectRefused(logger, (int)response.StatusCode, ForLog(current));
                }
            }
        }
    }

    private async Task<(HttpResponseMessage? Response, SourceFailure? Failure)> SendAsync(
        Uri url, SourceRange? range, ImportOptions settings, CancellationToken ct)
    {
        // Until the headers arrive the source gets the connect timeout plus the idle timeout. After that
        // only the idle timeout applies (SourceContentStream), because a 1 TiB body has no sane deadline.
        using var timeout = new CancellationTokenSource(settings.ConnectTimeout + settings.ReadIdleTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        range?.AddTo(request);
        try
        {
            // ResponseHeadersRead: nothing of the body is buffered.
            return (await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, new SourceFailure(SourceTimeout,
                "The source did not connect and answer in time; check that it is reachable and not overloaded."));
        }
        catch (HttpRequestException e)
        {
            return (null, ToFailure(e));
        }
    }

    private async Task<SourceResponse> OpenContentAsync(
        HttpResponseMessage response, SourceRange? range, ImportOptions settings, CancellationToken ct)
    {
        var failure = response.StatusCode switch
        {
            HttpStatusCode.OK when range is null => null,
            HttpStatusCode.PartialContent when range is not null => null,

            // 200 to a Range with If-Range is the source saying the object is no longer the version the
            // data so far came from (or that it ignores If-Range, which cannot be told apart); 412 and
            // 416 say the same of a shorter or replaced object.
            HttpStatusCode.OK or HttpStatusCode.PreconditionFailed or HttpStatusCode.RequestedRangeNotSatisfiable
                when range is not null => Changed(),
            HttpStatusCode.NotFound or HttpStatusCode.Gone => new SourceFailure(SourceNotFound,
                $"The source answered HTTP {(int)response.StatusCode}: there is no object at that URL. Check the bucket and object name."),
            _ => new SourceFailure(SourceHttpError,
                $"The source answered HTTP {(int)response.StatusCode}; check that the object can be read at that URL "
                + "(a presigned URL may have expired)."),
        };

        // AutomaticDecompression is off, so that a small gzip body cannot expand without limit; a body
        // that is encoded anyway would be stored as a corrupt image.
        if (failure is null && response.Content.Headers.ContentEncoding.Any(e => !e.Equals("identity", StringComparison.OrdinalIgnoreCase)))
        {
            failure = new SourceFailure(SourceContentEncoded,
                "The source sent the object with a Content-Encoding; store it without compression on the transfer.");
        }

        var framed = SourceContentLength.TryRead(response, out var length);
        if (failure is null && !framed)
        {
            failure = new SourceFailure(SourceHttpError,
                "The source sent a Content-Length that is not one non-negative integer, so the object's end cannot be told; "
                + "check the object store or the proxy in front of it.");
        }

        if (failure is null && range is { } asked && !asked.IsAnsweredBy(response, length))
        {
            failure = Changed();
        }

        if (failure is null && (range?.Total ?? length) > settings.MaxImageBytes)
        {
            failure = new SourceFailure(SourceTooLarge,
                $"The source's object is {length} bytes, more than the {settings.MaxImageBytes} bytes this service imports.");
        }

        if (failure is not null)
        {
            response.Dispose();
            return SourceResponse.Failed(failure);
        }

        try
        {
            var body = await response.Content.ReadAsStreamAsync(ct);
            return SourceResponse.Opened(
                response,
                new SourceContentStream(body, settings, timeProvider),
                length,
                range is null && SourceRange.AcceptsRanges(response),
                range?.Validator ?? SourceRange.ValidatorOf(response));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static SourceFailure Changed() => new(SourceChanged,
        "The source's object changed while it was being downloaded (or the source does not honour If-Range), so the "
        + "parts downloaded so far cannot be continued; import it again once the object stays the same.");

    private static SourceFailure ToFailure(HttpRequestException exception)
    {
        // SourceConnector's refusals arrive wrapped by SocketsHttpHandler.
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is SourceFailureException refused)
            {
                return refused.Failure;
            }
        }

        return exception.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => new SourceFailure(SourceUnreachable,
                "The source's host name could not be resolved; check the URL's host."),
            HttpRequestError.ConnectionError => new SourceFailure(SourceUnreachable,
                "The source could not be reached: the connection was refused or reset."),
            HttpRequestError.SecureConnectionError => new SourceFailure(SourceUnreachable,
                "The TLS handshake with the source failed; its certificate must be valid for its host name."),
            HttpRequestError.ResponseEnded => new SourceFailure(SourceInterrupted,
                "The source closed the connection before it answered; try the import again."),

            // A connection reset before the headers were read: a break like one in the body, which a
            // reconnection may go on from.
            HttpRequestError.Unknown when IsReset(exception) => new SourceFailure(SourceInterrupted,
                "The connection to the source was reset before it answered; try the import again."),
            _ => new SourceFailure(SourceHttpError, "The source sent an invalid HTTP response."),
        };
    }

    private static bool IsReset(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException or IOException)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently
        or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    // Scheme, host and path only: the query of a presigned URL is a credential.
    private static string ForLog(Uri url) => url.GetLeftPart(UriPartial.Path);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "Following HTTP {Status} redirect from {From} to {To}")]
        public static partial void RedirectFollowed(ILogger logger, int status, string from, string to);

        [LoggerMessage(2, LogLevel.Warning, "Refused an HTTP {Status} redirect from {From}: its target may not be imported")]
        public static partial void RedirectRefused(ILogger logger, int status, string from);
    }
}
