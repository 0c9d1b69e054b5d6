using System.Text.Json;
using CustomerValue.Segmentation.Migrations;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Storage.Documents;

namespace CustomerValue.Segmentation.Queries;

/// <summary>
/// The read side of recompute runs, shared by the APIs and the dashboard: the latest run, one run, its tier migration
/// matrix and its channel table. Point reads only: the latest run is named on the segment summary document.
/// </summary>
public sealed class RunQueries(IDocumentStore store)
{
    // The history is a scan of the runs container, kept until a newer run is recorded. Two requests after a new run
    // may both scan; the later result simply replaces the earlier one.
    private volatile HistoryCache? _history;

    /// <summary>The id that stands for the latest run wherever a run id is asked for.</summary>
    public const string Latest = "latest";

    /// <summary>The latest finished run, or null before the first.</summary>
    public async Task<RecomputeRun?> LatestAsync(CancellationToken cancellationToken = default)
    {
        var summary = await store.ReadAsync<SegmentSummary>(ContainerNames.Runs, SegmentSummary.DocumentId, SegmentSummary.DocumentId, cancellationToken).ConfigureAwait(false);
        return summary?.Body.RunId is { } id ? await FindAsync(id, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>The run of that id (<see cref="Latest"/> for the latest), or null when there is none.</summary>
    public async Task<RecomputeRun?> FindAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        if (runId == Latest)
        {
            return await LatestAsync(cancellationToken).ConfigureAwait(false);
        }

        // Only run ids are looked up, so the summary and KPI-history documents of the same container never answer.
        if (!IsRunId(runId))
        {
            return null;
        }

        return (await store.ReadAsync<RecomputeRun>(ContainerNames.Runs, runId, runId, cancellationToken).ConfigureAwait(false))?.Body;
    }

    /// <summary>The tier migration matrix of a run (default the latest) against the run before it; null when there is no such run.</summary>
    public async Task<TierMigrations?> MigrationsAsync(string? runId = null, CancellationToken cancellationToken = default)
    {
        var run = await FindAsync(runId ?? Latest, cancellationToken).ConfigureAwait(false);
        return run is null ? null : MigrationsOf(run);
    }

    /// <summary>The migration matrix a run recorded, with every cell and the totals.</summary>
    public static TierMigrations MigrationsOf(RecomputeRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var recorded = run.Migrations.ToDictionary(m => (m.From, m.To));
        var cells = MigrationMatrix.Rows.SelectMany(from => MigrationMatrix.Columns.Select(to =>
            recorded.GetValueOrDefault((from, to)) ?? new MigrationFlow(from, to, 0, 0m))).ToList();
        return new TierMigrations(run.Id, run.PreviousRunId, MigrationMatrix.Rows, MigrationMatrix.Columns, cells,
            [.. MigrationMatrix.Rows.Select(r => Total(r, cells.Where(c => c.From == r)))],
            [.. MigrationMatrix.Columns.Select(c => Total(c, cells.Where(x => x.To == c)))],
            Total("(all)", cells));
    }

    /// <summary>The latest run's channel table (empty before the first run).</summary>
    public async Task<ChannelReport> ChannelsAsync(CancellationToken cancellationToken = default)
    {
        var run = await LatestAsync(cancellationToken).ConfigureAwait(false);
        return run?.Channels is { } table
            ? new ChannelReport(run.Id, run.StartedAt, table.Rows, table.Shop)
            : new ChannelReport(run?.Id, run?.StartedAt, [], null);
    }

    /// <summary>True for an id a recompute names its run with.</summary>
    public static bool IsRunId(string id) => id is { Length: > 4 and <= 64 } && id.StartsWith("run-", StringComparison.Ordinal)
        && !id.AsSpan(4).ContainsAnyExcept(RunIdCharacters);

    private static readonly System.Buffers.SearchValues<char> RunIdCharacters = System.Buffers.SearchValues.Create("0123456789TZabcdefghijklmnopqrstuvwxyz-");

    private static MigrationTotal Total(string label, IEnumerable<MigrationFlow> cells)
    {
        int customers = 0;
        decimal clv = 0m;
        foreach (var cell in cells)
        {
            customers += cell.Customers;
            clv += cell.PredictedClv;
        }

        return new MigrationTotal(label, customers, clv);
    }

    /// <summary>
    /// Every recorded run, oldest first (the dashboard's charts across runs). A scan of the small runs container the
    /// first time after each new run; after that the one point read of the segment summary.
    /// </summary>
    public async Task<IReadOnlyList<RecomputeRun>> HistoryAsync(CancellationToken cancellationToken = default)
    {
        var latest = (await store.ReadAsync<SegmentSummary>(ContainerNames.Runs, SegmentSummary.DocumentId, SegmentSummary.DocumentId, cancellationToken).ConfigureAwait(false))?.Body.RunId;
        if (_history is { } cached && cached.LatestRunId == latest)
        {
            return cached.Runs;
        }

        var runs = new List<RecomputeRun>();
        await foreach (var document in store.ScanAsync<JsonElement>(ContainerNames.Runs, cancellationToken).ConfigureAwait(false))
        {
            // The container also holds the summary and KPI histories; only run records have run ids.
            if (IsRunId(document.Id) && document.Body.Deserialize<RecomputeRun>(DocumentJson.Options) is { } run)
            {
                runs.Add(run);
            }
        }

        IReadOnlyList<RecomputeRun> ordered = [.. runs.OrderBy(r => r.FinishedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];
        _history = new HistoryCache(latest, ordered);
        return ordered;
    }

    /// <summary>The run <paramref name="run"/> compared itself with; null for the first.</summary>
    public async Task<RecomputeRun?> PreviousAsync(RecomputeRun run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        return run.PreviousRunId is { } previous ? await FindAsync(previous, cancellationToken).ConfigureAwait(false) : null;
    }

    private sealed record HistoryCache(string? LatestRunId, IReadOnlyList<RecomputeRun> Runs);
}
