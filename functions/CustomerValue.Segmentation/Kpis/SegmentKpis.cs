namespace CustomerValue.Segmentation.Kpis;

/// <summary>
/// One segment's KPIs in one run. Averages are over the members that have the figure (P(alive) and predicted CLV over
/// modelled customers, NPS over those who answered) and null when none has it.
/// </summary>
public sealed record SegmentKpis
{
    /// <summary>The segment.</summary>
    public required string Segment { get; init; }

    /// <summary>Members.</summary>
    public int Size { get; init; }

    /// <summary>Members with a purchase ÷ all buyers of the shop (0 without buyers).</summary>
    public double ShareOfBuyers { get; init; }

    /// <summary>Members' net revenue of the 365 days before the run.</summary>
    public decimal NetRevenue12Months { get; init; }

    /// <summary>Mean predicted 12-month CLV.</summary>
    public decimal? AveragePredictedClv { get; init; }

    /// <summary>Sum of predicted 12-month CLV.</summary>
    public decimal TotalPredictedClv { get; init; }

    /// <summary>Mean P(alive).</summary>
    public double? AveragePAlive { get; init; }

    /// <summary>Members with two or more purchases ÷ members with at least one (null without buyers).</summary>
    public double? RepeatPurchaseRate { get; init; }

    /// <summary>Members' refunds ÷ their gross revenue, money-weighted (null without revenue).</summary>
    public double? ReturnRate { get; init; }

    /// <summary>Mean of the latest NPS answers.</summary>
    public double? AverageNps { get; init; }

    /// <summary>Members now who were not members after the previous run.</summary>
    public int Entered { get; init; }

    /// <summary>Members after the previous run who are not members now (profiles merged or erased since are not seen).</summary>
    public int Left { get; init; }

    /// <summary>The custom segment's KPI targets, each with this run's value and whether it is met.</summary>
    public IReadOnlyList<KpiResult> Targets { get; init; } = [];

    /// <summary>A metric by its <see cref="KpiMetrics"/> name; null when the segment has no value for it.</summary>
    public double? Value(string metric) => metric switch
    {
        KpiMetrics.Size => Size,
        KpiMetrics.ShareOfBuyers => ShareOfBuyers,
        KpiMetrics.NetRevenue12Months => (double)NetRevenue12Months,
        KpiMetrics.AveragePredictedClv => (double?)AveragePredictedClv,
        KpiMetrics.TotalPredictedClv => (double)TotalPredictedClv,
        KpiMetrics.AveragePAlive => AveragePAlive,
        KpiMetrics.RepeatPurchaseRate => RepeatPurchaseRate,
        KpiMetrics.ReturnRate => ReturnRate,
        KpiMetrics.AverageNps => AverageNps,
        KpiMetrics.Entered => Entered,
        KpiMetrics.Left => Left,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown KPI metric."),
    };
}

/// <summary>A KPI target against this run's value.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Target">The target.</param>
/// <param name="Comparison"><c>atLeast</c> or <c>atMost</c>, as applied.</param>
/// <param name="Value">This run's value; null when the segment has none (then the target is not met).</param>
/// <param name="Met">True when the value meets the target.</param>
public sealed record KpiResult(string Metric, double Target, string Comparison, double? Value, bool Met);
