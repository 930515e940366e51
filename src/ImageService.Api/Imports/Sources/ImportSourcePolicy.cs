using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Options;
using static ImageService.Api.Imports.Sources.ImportSourceCodes;

namespace ImageService.Api.Imports.Sources;

/// <summary>
/// Which URLs may be imported and which addresses may be connected to: the server-side request
/// forgery defence (Glance OSSA-2026-004 / CVE-2026-34881) in one place.
/// </summary>
/// <remarks>
/// <see cref="Check"/> is pure (no DNS), so the API can answer 400 before anything is stored, and the
/// download client calls it again for every redirect. <see cref="IsAddressAllowed"/> runs at connect
/// time on the addresses actually dialled, which is what defeats DNS rebinding.
/// </remarks>
internal sealed class ImportSourcePolicy
{
    private readonly Func<ImportOptions> _options;
    private Snapshot? _snapshot;

    public ImportSourcePolicy(IOptionsMonitor<ImportOptions> options)
        : this(() => options.CurrentValue)
    {
    }

    internal ImportSourcePolicy(ImportOptions options)
        : this(() => options)
    {
    }

    private ImportSourcePolicy(Func<ImportOptions> options) => _options = options;

    /// <summary>Whether a client-supplied URL may be imported, and if so the canonical URL to fetch.</summary>
    public ImportSourceVerdict Check(string url)
    {
        if (!SourceUrl.TryParse(url, out var parsed, out var refusal))
        {
            return refusal;
        }

        if (!SourcePath.NamesQcow2File(parsed.Path))
        {
            return ImportSourceVerdict.Refuse(UrlNotQcow2, "Point the URL at a .qcow2 file: its path must end in .qcow2.");
        }

        var snapshot = Current();
        if (snapshot.Sources.Length == 0)
        {
            return ImportSourceVerdict.Refuse(ImportSourcesNotConfigured,
                "This service imports from no source yet: an operator must list the allowed object storage "
                + "locations in Import:AllowedSources.");
        }

        foreach (var source in snapshot.Sources)
        {
            if (source.Contains(parsed))
            {
                return ImportSourceVerdict.Allow(parsed.Uri);
            }
        }

        // The allowed locations are not listed here: they may name internal hosts.
        return ImportSourceVerdict.Refuse(UrlSourceNotAllowed,
            "Give a URL under one of the object storage locations this service imports from "
            + "(Import:AllowedSources); ask the operator which ones.");
    }

    /// <summary>
    /// Whether a redirect from <paramref name="current"/> (a URL this policy allowed) to the raw
    /// <c>Location</c> value may be followed, and if so the canonical URL to fetch next.
    /// </summary>
    public ImportSourceVerdict CheckRedirect(Uri current, string location)
    {
        // RFC 9110 §10.2.2: Location is a URI reference, resolved against the request's URL
        // (RFC 3986 §5.2). It is resolved here as text, not by Uri, so that Check sees the raw authority
        // of an absolute or network-path reference ("//0x7f000001/"). Its fragment is dropped: it is
        // never sent to a server.
        var hash = location.IndexOf('#', StringComparison.Ordinal);
        var reference = hash < 0 ? location : location[..hash];
        var origin = current.GetLeftPart(UriPartial.Authority);
        var target = reference switch
        {
            "" => null,
            _ when HasScheme(reference) => reference,
            _ when reference.StartsWith("//", StringComparison.Ordinal) => current.Scheme + ":" + reference,
            _ when reference.StartsWith('/') => origin + reference,
            _ when reference.StartsWith('?') => origin + current.AbsolutePath + reference,
            _ => origin + current.AbsolutePath[..(current.AbsolutePath.LastIndexOf('/') + 1)] + reference,
        };
        if (target is null)
        {
            return ImportSourceVerdict.Refuse(RedirectRefused, "The source redirected without saying where to; give the object's final URL.");
        }

        var verdict = Check(target);
        if (!verdict.IsAllowed)
        {
            return ImportSourceVerdict.Refuse(RedirectRefused, "The source redirected to a URL that may not be imported. " + verdict.Detail);
        }

        // A downgrade would send the rest of the exchange, and any presigned query, in clear text.
        return current.Scheme == Uri.UriSchemeHttps && verdict.Url.Scheme == Uri.UriSchemeHttp
            ? ImportSourceVerdict.Refuse(RedirectRefused, "The source redirected from https to http; give an https URL that does not redirect to http.")
            : verdict;
    }

    /// <summary>
    /// Whether a connection to <paramref name="address"/>, resolved from <paramref name="host"/>, may be
    /// made. An IP literal listed as written in an allowed source is the operator's chosen target and
    /// is always allowed. For a host name: link-local and metadata addresses never; other public
    /// addresses always; loopback, private and other special-purpose addresses only inside a network
    /// of Import:AllowedSourceNetworks. Listing a name trusts the URL's host, not what DNS (which may
    /// be rebound) says it is today.
    /// </summary>
    public bool IsAddressAllowed(IPAddress address, string host)
    {
        var snapshot = Current();
        var listed = SourceHost.Normalise(host);
        if (SourceHost.TryGetAddress(listed, out _) && snapshot.Hosts.Contains(listed))
        {
            return true;
        }

        if (SpecialPurposeAddresses.IsLinkLocalOrMetadata(address))
        {
            return false;
        }

        if (!SpecialPurposeAddresses.Contains(address))
        {
            return true;
        }

        var reached = SpecialPurposeAddresses.Reached(address);
        return snapshot.Networks.Any(n => n.Contains(reached));
    }

    /// <summary>The addresses Import:HostAddresses gives a host name, which are used instead of DNS.</summary>
    public bool TryGetHostAddresses(string host, [NotNullWhen(true)] out IPAddress[]? addresses) =>
        Current().HostAddresses.TryGetValue(SourceHost.Normalise(host), out addresses);

    private static bool HasScheme(string reference)
    {
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && reference.AsSpan(0, colon).IndexOfAny('/', '?') < 0;
    }

    // The options object changes only on a configuration reload, so the parsed entries are cached per
    // options instance; a race just parses twice.
    private Snapshot Current()
    {
        var options = _options();
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is null || !ReferenceEquals(snapshot.Options, options))
        {
            snapshot = new Snapshot(options);
            Volatile.Write(ref _snapshot, snapshot);
        }

        return snapshot;
    }

    private sealed class Snapshot
    {
        public Snapshot(ImportOptions options)
        {
            var sources = new AllowedSource[options.AllowedSources.Count];
            for (var i = 0; i < sources.Length; i++)
            {
                // ImportOptions.Validate refuses these at boot; reaching here means validation was not wired.
                sources[i] = AllowedSource.TryParse(options.AllowedSources[i], out var source, out var error)
                    ? source
                    : throw new InvalidOperationException(
                        $"{ImportOptions.Section}:{nameof(ImportOptions.AllowedSources)}:{i} is not a valid source prefix. {error}");
            }

            Options = options;
            Sources = sources;
            Hosts = sources.Select(s => s.Host).ToFrozenSet(StringComparer.Ordinal);

            // Validated at boot as well (ImportOptions.Validate).
            Networks = [.. options.AllowedSourceNetworks.Select(n => IPNetwork.Parse(n))];
            HostAddresses = options.HostAddresses.ToFrozenDictionary(
                e => SourceHost.Normalise(e.Key),
                e => e.Value.Select(a => IPAddress.Parse(a)).ToArray(),
                StringComparer.Ordinal);
        }

        public ImportOptions Options { get; }

        public AllowedSource[] Sources { get; }

        public FrozenSet<string> Hosts { get; }

        public IPNetwork[] Networks { get; }

        public FrozenDictionary<string, IPAddress[]> HostAddresses { get; }
    }
}
