using CustomerValue.Domain.Profiles;

namespace CustomerValue.Segmentation.Recompute;

/// <summary>
/// Decides whether a new score is worth a write. Scores drift a little every day (P(alive) decays with time);
/// writing every profile daily would cost a write per customer and flood the change feed, so only material
/// differences are written back.
/// </summary>
public static class ScoreComparison
{
    /// <summary>True when <paramref name="next"/> differs materially from <paramref name="previous"/>.</summary>
    public static bool IsMaterial(CustomerValueScore? previous, CustomerValueScore next)
    {
        ArgumentNullException.ThrowIfNull(next);
        // A real-time rescore is replaced by the run's own score, so the run's figures are what the next run compares with.
        if (previous is null || previous.Method != next.Method || previous.RescoredAt is not null)
        {
            return true;
        }

        return Differs(previous.HistoricClv, next.HistoricClv)
            || Differs(previous.PredictedClv, next.PredictedClv)
            || Differs(previous.RankingValue, next.RankingValue)
            || Math.Abs((previous.PAlive ?? -1) - (next.PAlive ?? -1)) > 0.01
            || NextOrderMoved(previous.ExpectedNextOrderAt, next.ExpectedNextOrderAt)
            || previous.AverageOrderValue != next.AverageOrderValue
            || PercentileMoved(previous.Percentile, next.Percentile);
    }

    /// <summary>The expected next order moves by a day each day a customer does not buy: only a week's shift matters.</summary>
    private static bool NextOrderMoved(DateTimeOffset? previous, DateTimeOffset? next) =>
        previous.HasValue != next.HasValue || (previous.HasValue && Math.Abs((previous.Value - next!.Value).TotalDays) > 7);

    /// <summary>
    /// A percentile first recorded is worth a write; a moved one is not on its own: everybody's rank shifts whenever
    /// anybody's value changes, and writing all of them would defeat writing only what changed. The stored percentile is
    /// therefore the one of the last run that wrote the profile, which is what <c>rising</c> measures a gain against.
    /// </summary>
    private static bool PercentileMoved(double? previous, double? next) => previous.HasValue != next.HasValue;

    private static bool Differs(decimal a, decimal b) =>
        Math.Abs(a - b) > Math.Max(0.01m, 0.01m * Math.Max(Math.Abs(a), Math.Abs(b)));
}
