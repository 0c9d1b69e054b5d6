using CustomerValue.Domain.Segments;
using CustomerValue.Segmentation.Queries;
using CustomerValue.Segmentation.Recompute;
using CustomerValue.Segmentation.Scoring;

namespace CustomerValue.Functions.Functions.Dashboard.Pages;

/// <summary>
/// The Overview page's figures, all from the latest run record (the numbers <c>GET api/segments</c> serves come from
/// the same run): customers, buyers, net revenue, predicted 12-month CLV, the run itself and what changed since the
/// run before.
/// </summary>
public sealed record OverviewModel
{
    /// <summary>The latest run; null before the first recompute.</summary>
    public RecomputeRun? Run { get; init; }

    /// <summary>The run before it, if any.</summary>
    public RecomputeRun? Previous { get; init; }

    /// <summary>Live profiles at the run.</summary>
    public int Customers => Run?.Profiles ?? 0;

    /// <summary>Buyers: the customers the value tiers rank (the sum of the tiers' sizes).</summary>
    public int Buyers => Tiers(Run).Sum(s => s.Size);

    /// <summary>Net revenue to date of all buyers (the sum over the tiers).</summary>
    public decimal NetRevenue => Tiers(Run).Sum(s => s.NetRevenue);

    /// <summary>Predicted 12-month CLV of all buyers (the sum over the tiers' KPIs).</summary>
    public decimal PredictedClv => Run?.Kpis.Where(k => SegmentNames.ValueTiers.Contains(k.Segment)).Sum(k => k.TotalPredictedClv) ?? 0m;

    /// <summary>The repeat-purchase model the run chose, or its method when it fitted none.</summary>
    public string Model => Run?.Model?.Comparison?.Winner ?? Run?.Method ?? "—";

    /// <summary>The fits of the run (empty on a fallback).</summary>
    public IReadOnlyList<ModelFitSummary> Fits => Run?.Model?.Fits ?? [];

    /// <summary>Each segment's size now, before, and the change.</summary>
    public IReadOnlyList<(string Segment, int Size, int? Before, int Entered, int Left)> Changes =>
        Run is null ? [] : [.. Run.Segments.Select(s =>
        {
            var kpi = Run.Kpis.FirstOrDefault(k => k.Segment == s.Name);
            var before = Previous?.Segments.FirstOrDefault(p => p.Name == s.Name)?.Size;
            return (s.Name, s.Size, before, kpi?.Entered ?? 0, kpi?.Left ?? 0);
        })];

    /// <summary>Reads the latest run and the one before it.</summary>
    public static async Task<OverviewModel> LoadAsync(RunQueries runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var run = await runs.LatestAsync(cancellationToken);
        var previous = run is null ? null : await runs.PreviousAsync(run, cancellationToken);
        return new OverviewModel { Run = run, Previous = previous };
    }

    private static IEnumerable<SegmentSize> Tiers(RecomputeRun? run) =>
        run?.Segments.Where(s => SegmentNames.ValueTiers.Contains(s.Name)) ?? [];
}
