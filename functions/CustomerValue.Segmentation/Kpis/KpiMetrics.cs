namespace CustomerValue.Segmentation.Kpis;

/// <summary>The metrics every segment records per run, by the names KPI targets use.</summary>
public static class KpiMetrics
{
    public const string Size = "size";
    public const string ShareOfBuyers = "shareOfBuyers";
    public const string NetRevenue12Months = "netRevenue12Months";
    public const string AveragePredictedClv = "averagePredictedClv";
    public const string TotalPredictedClv = "totalPredictedClv";
    public const string AveragePAlive = "averagePAlive";
    public const string RepeatPurchaseRate = "repeatPurchaseRate";
    public const string ReturnRate = "returnRate";
    public const string AverageNps = "averageNps";
    public const string Entered = "entered";
    public const string Left = "left";

    /// <summary>Every metric name.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Size, ShareOfBuyers, NetRevenue12Months, AveragePredictedClv, TotalPredictedClv, AveragePAlive, RepeatPurchaseRate, ReturnRate, AverageNps, Entered, Left];

    /// <summary>Metrics where less is better: a target on them is met at or below it unless the target says otherwise.</summary>
    public static bool LowerIsBetter(string metric) => metric is ReturnRate or Left;
}
