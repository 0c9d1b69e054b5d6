using CustomerValue.Segmentation.Tiers;

namespace CustomerValue.Segmentation.Segments;

/// <summary>
/// Where the value tiers start, from one run's ranking of buyers by predicted profit: the lowest profit inside
/// <c>top-20</c> and the highest inside <c>bottom-20</c>. Tier sizes follow <see cref="ValueTiers"/> (20 % / 60 % / 20 %,
/// rounded to the nearest customer, the top tier never empty). Membership is then decided by comparing a customer's
/// profit with the thresholds, so that the real-time path can place a rescored profile with the last run's thresholds;
/// customers tied with a threshold join the better tier.
/// </summary>
public sealed class TierThresholds
{
    private readonly decimal[] _sorted;

    private TierThresholds(decimal? top20, decimal? bottom20, int ranked, decimal[] sorted)
    {
        Top20 = top20;
        Bottom20 = bottom20;
        Ranked = ranked;
        _sorted = sorted;
    }

    /// <summary>No buyer ranked: nobody is in a tier.</summary>
    public static TierThresholds None { get; } = new(null, null, 0, []);

    /// <summary>The lowest predicted profit in <c>top-20</c>; null when nobody is ranked.</summary>
    public decimal? Top20 { get; }

    /// <summary>The highest predicted profit in <c>bottom-20</c>; null when the bottom tier is empty.</summary>
    public decimal? Bottom20 { get; }

    /// <summary>Buyers ranked.</summary>
    public int Ranked { get; }

    /// <summary>True when percentiles can be computed (thresholds from a ranking, not from storage).</summary>
    public bool HasRanking => _sorted.Length > 0;

    /// <summary>The thresholds of a ranking of buyers' predicted profits.</summary>
    public static TierThresholds FromProfits(IEnumerable<decimal> profits)
    {
        ArgumentNullException.ThrowIfNull(profits);
        var sorted = profits.ToArray();
        Array.Sort(sorted);
        var n = sorted.Length;
        if (n == 0)
        {
            return None;
        }

        var top = Math.Max(1, (int)Math.Round(n * ValueTiers.TopShare, MidpointRounding.AwayFromZero));
        var bottom = Math.Min(n - top, (int)Math.Round(n * ValueTiers.BottomShare, MidpointRounding.AwayFromZero));
        return new TierThresholds(sorted[n - top], bottom == 0 ? null : sorted[bottom - 1], n, sorted);
    }

    /// <summary>Thresholds as a previous run stored them, for the real-time path (no percentiles).</summary>
    public static TierThresholds Stored(decimal? top20, decimal? bottom20, int ranked) => new(top20, bottom20, ranked, []);

    /// <summary>The tier a buyer with this predicted profit belongs to, or null when nobody is ranked.</summary>
    public string? TierOf(decimal profit)
    {
        if (Top20 is not { } top)
        {
            return null;
        }

        return profit >= top ? Domain.Segments.SegmentNames.Top20
            : Bottom20 is { } bottom && profit <= bottom ? Domain.Segments.SegmentNames.Bottom20
            : Domain.Segments.SegmentNames.Middle60;
    }

    /// <summary>
    /// Percentile rank (0–100) of a profit in the ranking: the share of ranked buyers below it, counting ties as half;
    /// null without a ranking.
    /// </summary>
    public double? PercentileOf(decimal profit)
    {
        if (_sorted.Length == 0)
        {
            return null;
        }

        var below = LowerBound(profit);
        var upTo = LowerBound(profit, inclusive: true);
        return 100.0 * (below + 0.5 * (upTo - below)) / _sorted.Length;
    }

    /// <summary>Tier order: 0 for the top tier, 2 for the bottom, null for anything else.</summary>
    public static int? RankOf(string? tier) => tier switch
    {
        Domain.Segments.SegmentNames.Top20 => 0,
        Domain.Segments.SegmentNames.Middle60 => 1,
        Domain.Segments.SegmentNames.Bottom20 => 2,
        _ => null,
    };

    private int LowerBound(decimal value, bool inclusive = false)
    {
        int lo = 0, hi = _sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (_sorted[mid] < value || (inclusive && _sorted[mid] == value))
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
