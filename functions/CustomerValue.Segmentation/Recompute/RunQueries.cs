using System.Text.Json;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Segmentation.Recompute;

/// <summary>
/// The read side of recompute runs: the latest run (its id is on the segment summary, so it is two point reads), the
/// one before it, and the history of all runs. The history is a scan of the small <c>runs</c> container; it is kept
/// in memory until a newer run is recorded, so reading it again costs the one point read of the summary.
/// </summary>
public sealed class RunQueries(IDocumentStore store)
{
    // Two requests after a new run may both scan; the later one's result simply replaces the earlier one's.
    private volatile HistoryCache? _history;

    /// <summary>The segment summary of the latest run; null before the first run.</summary>
    public async Task<SegmentSummary?> SummaryAsync(CancellationToken cancellationToken = default) =>
        (await store.ReadAsync<SegmentSummary>(ContainerNames.Runs, SegmentSummary.DocumentId, SegmentSummary.DocumentId, cancellationToken))?.Body;

    /// <summary>A run by id; null when there is none.</summary>
    public async Task<RecomputeRun?> FindAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return runId.StartsWith("run-", StringComparison.Ordinal)
            ? (await store.ReadAsync<RecomputeRun>(ContainerNames.Runs, runId, runId, cancellationToken))?.Body
            : null;
    }

    /// <summary>The latest finished run; null before the first run.</summary>
    public async Task<RecomputeRun?> LatestAsync(CancellationToken cancellationToken = default) =>
        await SummaryAsync(cancellationToken) is { } summary ? await FindAsync(summary.RunId, cancellationToken) : null;

    /// <summary>Every recorded run, oldest first.</summary>
    public async Task<IReadOnlyList<RecomputeRun>> HistoryAsync(CancellationToken cancellationToken = default)
    {
        var latest = (await SummaryAsync(cancellationToken))?.RunId;
        if (_history is { } cached && cached.LatestRunId == latest)
        {
            return cached.Runs;
        }

        var runs = new List<RecomputeRun>();
        await foreach (var document in store.ScanAsync<JsonElement>(ContainerNames.Runs, cancellationToken))
        {
            // The container also holds the segment summary; only run records have run ids.
            if (document.Id.StartsWith("run-", StringComparison.Ordinal)
                && document.Body.Deserialize<RecomputeRun>(DocumentJson.Options) is { } run)
            {
                runs.Add(run);
            }
        }

        IReadOnlyList<RecomputeRun> ordered = [.. runs.OrderBy(r => r.FinishedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];
        _history = new HistoryCache(latest, ordered);
        return ordered;
    }

    /// <summary>The run finished before <paramref name="run"/>; null for the first.</summary>
    public async Task<RecomputeRun?> PreviousAsync(RecomputeRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var history = await HistoryAsync(cancellationToken);
        return history.LastOrDefault(r => r.FinishedAt < run.FinishedAt && r.Id != run.Id);
    }

    private sealed record HistoryCache(string? LatestRunId, IReadOnlyList<RecomputeRun> Runs);
}
