using System.Buffers.Text;
using System.Text;
using CustomerValue.Domain.Profiles;
using CustomerValue.Segmentation.Custom;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Segmentation.Segments;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Segmentation.Queries;

/// <summary>
/// The read side of segments, shared by the APIs and the dashboard: every segment (built-in from the registry, custom
/// from the catalog) with its latest KPIs, one segment with its KPI history, and a segment's members page by page.
/// </summary>
public sealed class SegmentQueries(IDocumentStore store, CustomSegmentCatalog catalog, RunQueries runs)
{
    /// <summary>The most members one page may hold.</summary>
    public const int MaxLimit = 1000;

    /// <summary>The page size when none is asked for.</summary>
    public const int DefaultLimit = 100;

    // "m2:" + the last profile id of the page; "m1:" tokens (change-feed positions) came from the unindexed version.
    private const string TokenPrefix = "m2:";

    /// <summary>Every segment, built-in ones in registry order then custom ones by name, with the latest run's KPIs.</summary>
    public async Task<IReadOnlyList<SegmentOverview>> ListAsync(CancellationToken cancellationToken = default)
    {
        var run = await runs.LatestAsync(cancellationToken).ConfigureAwait(false);
        var custom = await catalog.LoadAsync(cancellationToken).ConfigureAwait(false);
        var kpis = run?.Kpis.ToDictionary(k => k.Segment, StringComparer.Ordinal) ?? [];
        return [.. Describe(custom).Select(s => WithKpis(s, run, kpis))];
    }

    /// <summary>One segment with its KPI history across runs; null when no segment has that name.</summary>
    public async Task<SegmentDetail?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var custom = await catalog.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (Describe(custom).FirstOrDefault(s => s.Name == name) is not { } segment)
        {
            return null;
        }

        var id = SegmentKpiHistory.IdOf(name);
        var history = (await store.ReadAsync<SegmentKpiHistory>(ContainerNames.Runs, id, id, cancellationToken).ConfigureAwait(false))?.Body.Runs ?? [];
        var latest = history.Count == 0 ? null : history[^1];
        return new SegmentDetail
        {
            Name = segment.Name,
            Kind = segment.Kind,
            Description = segment.Description,
            Definition = segment.Definition,
            Timing = segment.Timing,
            RequiresPurchase = segment.RequiresPurchase,
            Custom = segment.Custom,
            Size = latest?.Kpis.Size ?? 0,
            RunId = latest?.RunId,
            Kpis = latest?.Kpis,
            History = history,
        };
    }

    /// <summary>True when a segment of that name exists (built-in or custom).</summary>
    public async Task<bool> ExistsAsync(string name, CancellationToken cancellationToken = default) =>
        SegmentRegistry.IsBuiltIn(name) || (await catalog.LoadAsync(cancellationToken).ConfigureAwait(false)).Find(name) is not null;

    /// <summary>
    /// A page of the segment's current members with their value fields, in profile id order; null when no segment has
    /// that name. Members are found through the store's index of the profiles' <c>segments</c>
    /// (<see cref="IndexedArrays.ProfileSegments"/>), so a page reads only members, however rare the segment. The token
    /// holds the last id of the page: a customer who is a member for the whole paging appears exactly once, one who joins
    /// or leaves meanwhile may or may not appear.
    /// </summary>
    /// <param name="name">The segment.</param>
    /// <param name="continuationToken">The previous page's token; null for the first page.</param>
    /// <param name="limit">Members per page, 1 to <see cref="MaxLimit"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="ArgumentOutOfRangeException">The limit is out of range.</exception>
    /// <exception cref="ArgumentException">The token was not issued by this query.</exception>
    public async Task<SegmentMembersPage?> MembersAsync(string name, string? continuationToken, int limit = DefaultLimit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxLimit);
        var after = continuationToken is null ? null : Decode(continuationToken);
        if (!await ExistsAsync(name, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        // One more than the page holds tells whether another page follows, so the last page carries no token.
        var index = IndexedArrays.ProfileSegments;
        var found = await store.QueryArrayContainsAsync<CustomerProfile>(index.Container, index.Property, name, after, limit + 1, cancellationToken).ConfigureAwait(false);
        var members = new List<SegmentMember>(Math.Min(found.Count, limit));
        foreach (var document in found.Take(limit))
        {
            var profile = document.Body;
            if (!profile.IsRedirect && !profile.IsErased)
            {
                members.Add(new SegmentMember(profile.Id, profile.SegmentReasons?.GetValueOrDefault(name), profile.Value, profile.Segments));
            }
        }

        return new SegmentMembersPage(name, members, found.Count > limit ? Encode(found[limit - 1].Id) : null);
    }

    /// <summary>Built-in segments from the registry, then the custom ones.</summary>
    private static IEnumerable<SegmentOverview> Describe(CustomSegmentSet custom)
    {
        foreach (var rule in SegmentRegistry.BuiltIn)
        {
            yield return new SegmentOverview
            {
                Name = rule.Name,
                Kind = SegmentOverview.BuiltInKind,
                Description = rule.Description,
                Definition = rule.Definition,
                Timing = TimingName(rule.Timing),
                RequiresPurchase = rule.RequiresPurchase,
            };
        }

        foreach (var segment in custom.Segments)
        {
            var definition = segment.Definition;
            yield return new SegmentOverview
            {
                Name = segment.Name,
                Kind = SegmentOverview.CustomKind,
                Description = definition.Goal,
                Definition = definition.Rule,
                Timing = TimingName(SegmentTiming.RealTime),
                RequiresPurchase = false,
                Custom = new CustomSegmentInfo(definition.Goal, definition.Kpis, definition.Destinations, definition.HoldoutShare,
                    custom.FromFile.Contains(segment.Name) ? "file" : "api"),
            };
        }
    }

    private static SegmentOverview WithKpis(SegmentOverview segment, RecomputeRun? run, Dictionary<string, Kpis.SegmentKpis> kpis) =>
        kpis.TryGetValue(segment.Name, out var latest)
            ? segment with { Size = latest.Size, RunId = run!.Id, Kpis = latest }
            : segment;

    /// <summary>The API name of a timing: <c>realTime</c> or <c>rankBased</c>.</summary>
    public static string TimingName(SegmentTiming timing) => timing == SegmentTiming.RealTime ? "realTime" : "rankBased";

    private static string Encode(string lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(TokenPrefix + lastId));

    private static string Decode(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
            if (text.StartsWith(TokenPrefix, StringComparison.Ordinal))
            {
                return text[TokenPrefix.Length..];
            }
        }
        catch (FormatException)
        {
            // reported below
        }

        throw new ArgumentException("The continuation token was not issued by this API: start again without one.", nameof(token));
    }
}
