using CustomerValue.Segmentation.Segments;

namespace CustomerValue.Segmentation.Custom;

/// <summary>
/// Every custom segment in force: those of the definitions file (<c>Segments:DefinitionsPath</c>, JSON or YAML) and
/// those saved through the API (<see cref="CustomSegmentStore"/>). The file is read again whenever it changes, so an
/// edit takes effect at the next recompute without a restart. A file that is refused contributes nothing and its
/// problems are reported, never half of it; a name in the file wins over a saved segment of the same name.
/// </summary>
public sealed class CustomSegmentCatalog(CustomSegmentStore saved, SegmentOptions options)
{
    // Replaced whole, never mutated: two callers that find the file changed at once both read it, which is harmless.
    private volatile CachedFile? _file;

    /// <summary>The saved definitions (for writing through the API).</summary>
    public CustomSegmentStore Saved => saved;

    /// <summary>The segments in force, in name order, and the problems of definitions that are not.</summary>
    public async Task<CustomSegmentSet> LoadAsync(CancellationToken cancellationToken = default)
    {
        var file = await FileAsync(cancellationToken).ConfigureAwait(false);
        var segments = new List<CustomSegment>(file.Segments);
        var problems = new List<string>(file.Problems);
        var names = file.Segments.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var definition in await saved.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!names.Add(definition.Name))
            {
                problems.Add($"saved segment '{definition.Name}': the definitions file defines the same name, which wins");
                continue;
            }

            try
            {
                segments.Add(CustomSegment.Create(definition));
            }
            catch (CustomSegmentException ex)
            {
                // Saved when it was valid; a later change (a renamed profile field) can make it invalid.
                problems.AddRange(ex.Problems.Select(p => $"saved segment '{definition.Name}'.{p}"));
            }
        }

        return new CustomSegmentSet([.. segments.OrderBy(s => s.Name, StringComparer.Ordinal)], problems, [.. file.Segments.Select(s => s.Name)]);
    }

    /// <summary>
    /// The holdout share of every custom segment that keeps one, from the current definitions, without compiling the
    /// saved rules: cheap enough to read for every change-feed batch, so a definition saved a moment ago already holds
    /// its control group out of the very first changes it produces. The definitions file wins over a saved definition
    /// of the same name, as in <see cref="LoadAsync"/>.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, double>> HoldoutSharesAsync(CancellationToken cancellationToken = default)
    {
        var file = await FileAsync(cancellationToken).ConfigureAwait(false);
        var shares = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var definition in await saved.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (definition.HoldoutShare > 0)
            {
                shares[definition.Name] = definition.HoldoutShare;
            }
        }

        foreach (var name in file.FromFile)
        {
            shares.Remove(name);
        }

        foreach (var segment in file.Segments.Where(s => s.Definition.HoldoutShare > 0))
        {
            shares[segment.Name] = segment.Definition.HoldoutShare;
        }

        return shares;
    }

    /// <summary>The segments of the definitions file (none without a path), re-read only when the file changed.</summary>
    private async Task<CustomSegmentSet> FileAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.DefinitionsPath))
        {
            return CustomSegmentSet.Empty;
        }

        var path = Path.GetFullPath(options.DefinitionsPath);
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return new CustomSegmentSet([], [$"{options.DefinitionsPath}: the definitions file does not exist"], []);
        }

        if (_file is { } cached && cached.Path == path && cached.WrittenAt == info.LastWriteTimeUtc && cached.Length == info.Length)
        {
            return cached.Set;
        }

        CustomSegmentSet set;
        try
        {
            var segments = await CustomSegmentDefinitions.LoadAsync(path, cancellationToken).ConfigureAwait(false);
            set = new CustomSegmentSet(segments, [], [.. segments.Select(s => s.Name)]);
        }
        catch (CustomSegmentException ex)
        {
            set = new CustomSegmentSet([], [.. ex.Problems.Select(p => $"{options.DefinitionsPath}: {p}")], []);
        }

        _file = new CachedFile(path, info.LastWriteTimeUtc, info.Length, set);
        return set;
    }
}

/// <summary>A parsed definitions file and the version of the file it came from.</summary>
internal sealed record CachedFile(string Path, DateTime WrittenAt, long Length, CustomSegmentSet Set);

/// <summary>The custom segments in force and what kept others out.</summary>
/// <param name="Segments">Valid segments, in name order.</param>
/// <param name="Problems">Why definitions were left out (a refused file, a saved definition that became invalid).</param>
/// <param name="FromFile">The names the definitions file defines (the API may not save these).</param>
public sealed record CustomSegmentSet(IReadOnlyList<CustomSegment> Segments, IReadOnlyList<string> Problems, IReadOnlyList<string> FromFile)
{
    /// <summary>No custom segments.</summary>
    public static CustomSegmentSet Empty { get; } = new([], [], []);

    /// <summary>The segment of that name, or null.</summary>
    public CustomSegment? Find(string name) => Segments.FirstOrDefault(s => s.Name == name);
}
