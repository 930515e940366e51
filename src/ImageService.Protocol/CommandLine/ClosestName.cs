namespace ImageService.Protocol.CommandLine;

/// <summary>
/// The name a person most likely meant by a mistyped one, for the "did you mean" of imagectl and
/// of the service's management commands.
/// </summary>
public static class ClosestName
{
    /// <summary>
    /// The candidate closest to <paramref name="given"/> by edit distance (insertions, deletions,
    /// substitutions and swaps of neighbours), or null when none is close: within two edits, or a
    /// third of a long word's length (one edit for a word of one or two letters).
    /// </summary>
    public static string? Find(string given, IEnumerable<string> candidates)
    {
        var limit = given.Length <= 2 ? 1 : Math.Max(2, given.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(given, candidate);
            if (distance <= limit && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>
    /// One sentence for a word the parser did not match: an unknown option of
    /// <paramref name="commandPath"/>, an unknown command, or an argument too many; with the
    /// closest known name when there is one.
    /// </summary>
    /// <param name="token">The first word that was not matched.</param>
    /// <param name="commandPath">The command it followed, for example <c>imagectl images list</c>.</param>
    /// <param name="subcommands">The names of that command's subcommands (none for a leaf command).</param>
    /// <param name="options">The names and aliases of the options that command takes.</param>
    public static string DescribeUnmatched(string token, string commandPath, IReadOnlyCollection<string> subcommands, IEnumerable<string> options)
    {
        if (token.StartsWith('-'))
        {
            return $"'{token}' is not an option of '{commandPath}'.{DidYouMean(token, options)}";
        }

        return subcommands.Count > 0
            ? $"'{token}' is not a command of '{commandPath}'.{DidYouMean(token, subcommands)}"
            : $"'{commandPath}' takes no argument '{token}'.";
    }

    private static string DidYouMean(string given, IEnumerable<string> candidates) =>
        Find(given, candidates) is { } closest ? $" Did you mean '{closest}'?" : "";

    // Optimal string alignment distance: Levenshtein plus the swap of neighbours typists make most.
    // One flat table, (a.Length + 1) × (b.Length + 1).
    private static int Distance(string a, string b)
    {
        var width = b.Length + 1;
        var d = new int[(a.Length + 1) * width];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i * width] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                var value = Math.Min(Math.Min(d[((i - 1) * width) + j] + 1, d[(i * width) + j - 1] + 1), d[((i - 1) * width) + j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, d[((i - 2) * width) + j - 2] + 1);
                }

                d[(i * width) + j] = value;
            }
        }

        return d[(a.Length * width) + b.Length];
    }
}
