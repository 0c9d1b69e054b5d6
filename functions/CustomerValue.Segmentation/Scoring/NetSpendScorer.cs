using CustomerValue.Domain.Profiles;

namespace CustomerValue.Segmentation.Scoring;

/// <summary>
/// The value estimate used until the CLV models are fitted: historic net spend (paid − refunded), which already
/// makes customers who return a lot less valuable. Also derives the descriptive figures every score carries.
/// </summary>
public static class NetSpendScorer
{
    /// <summary>The method name recorded on scores and runs.</summary>
    public const string Method = "net-spend";

    /// <summary>Scores one profile.</summary>
    public static CustomerValueScore Score(CustomerProfile profile, string runId)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var purchases = profile.Orders;
        var net = profile.NetRevenue;
        var gross = profile.GrossRevenue;
        return new CustomerValueScore
        {
            RunId = runId,
            Method = Method,
            HistoricClv = net,
            PredictedClv = 0m,
            AverageOrderValue = purchases == 0 ? 0m : decimal.Round(net / purchases, 2),
            AverageDaysBetweenOrders = AverageDaysBetweenPurchaseDays(profile),
            ReturnRate = gross <= 0m ? 0d : (double)(profile.Refunds / gross),
            RankingValue = net,
        };
    }

    /// <summary>
    /// Mean gap in days between consecutive distinct purchase days (same-day purchases count once, as in the
    /// BG/NBD frequency definition); null with fewer than two purchase days.
    /// </summary>
    public static double? AverageDaysBetweenPurchaseDays(CustomerProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var days = profile.OrderTotals.Days.Where(d => d.Purchases > 0).Select(d => d.Date).ToList();
        return days.Count < 2 ? null : (days[^1].DayNumber - days[0].DayNumber) / (double)(days.Count - 1);
    }
}
