using CustomerValue.Segmentation.Kpis;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Segmentation.Recompute;

/// <summary>
/// One segment's KPIs run after run (container <c>runs</c>, id <c>kpis-{segment}</c>), so that
/// <c>GET api/segments/{name}</c> is one point read instead of a read of every run record. Keeps the latest
/// <see cref="MaxRuns"/> runs: more than a year of daily runs, and at about 400 bytes a run far below the 2 MB document limit.
/// </summary>
public sealed record SegmentKpiHistory
{
    /// <summary>Runs kept per segment.</summary>
    public const int MaxRuns = 400;

    /// <summary>The document id.</summary>
    public required string Id { get; init; }

    /// <summary>The segment.</summary>
    public required string Segment { get; init; }

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<SegmentKpiEntry> Runs { get; init; } = [];

    /// <summary>The id of a segment's history document.</summary>
    public static string IdOf(string segment) => "kpis-" + segment;

    /// <summary>
    /// Records one run's KPIs of every segment: the entry of that run is replaced when it is there already (a retried
    /// run), so recording twice changes nothing.
    /// </summary>
    public static async Task RecordAsync(IDocumentStore store, string runId, DateTimeOffset computedAt, IEnumerable<SegmentKpis> kpis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(kpis);
        foreach (var segment in kpis)
        {
            var id = IdOf(segment.Segment);
            var entry = new SegmentKpiEntry(runId, computedAt, segment);
            await store.UpdateAsync<SegmentKpiHistory>(ContainerNames.Runs, id, id, current =>
            {
                var runs = (current?.Runs ?? []).Where(r => r.RunId != runId).Append(entry)
                    .OrderBy(r => r.ComputedAt).TakeLast(MaxRuns).ToList();
                return new SegmentKpiHistory { Id = id, Segment = segment.Segment, Runs = runs };
            }, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>A segment's KPIs at one run.</summary>
/// <param name="RunId">The run.</param>
/// <param name="ComputedAt">When the run started (the time the KPIs describe).</param>
/// <param name="Kpis">The KPIs.</param>
public sealed record SegmentKpiEntry(string RunId, DateTimeOffset ComputedAt, SegmentKpis Kpis);
