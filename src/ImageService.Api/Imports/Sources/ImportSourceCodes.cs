namespace ImageService.Api.Imports.Sources;

/// <summary>
/// The stable snake_case codes of refused import URLs and failed downloads, as they appear in the SCP
/// error envelope and in an import's status.
/// </summary>
internal static class ImportSourceCodes
{
    public const string UrlNotAbsolute = "url_not_absolute";
    public const string UrlMalformed = "url_malformed";
    public const string UrlSchemeNotAllowed = "url_scheme_not_allowed";
    public const string UrlHasUserInfo = "url_has_user_info";
    public const string UrlHostNotCanonical = "url_host_not_canonical";
    public const string UrlHasFragment = "url_has_fragment";
    public const string UrlPathAmbiguous = "url_path_ambiguous";
    public const string UrlNotQcow2 = "url_not_qcow2";
    public const string UrlSourceNotAllowed = "url_source_not_allowed";
    public const string ImportSourcesNotConfigured = "import_sources_not_configured";

    public const string SourceNotFound = "source_not_found";
    public const string SourceHttpError = "source_http_error";
    public const string SourceUnreachable = "source_unreachable";
    public const string SourceAddressRefused = "source_address_refused";
    public const string SourceTimeout = "source_timeout";
    public const string SourceTooLarge = "source_too_large";
    public const string SourceTooSlow = "source_too_slow";
    public const string SourceContentEncoded = "source_content_encoded";
    public const string SourceInterrupted = "source_interrupted";
    public const string SourceChanged = "source_changed";
    public const string TooManyRedirects = "too_many_redirects";
    public const string RedirectRefused = "redirect_refused";
}
