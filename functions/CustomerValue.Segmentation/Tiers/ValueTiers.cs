using CustomerValue.Domain.Segments;

namespace CustomerValue.Segmentation.Tiers;

/// <summary>
/// Splits customers into the value tiers: the top 20 % by value, the middle 60 % and the bottom 20 %.
/// Customers are ranked by value (descending) with the profile id breaking ties, so the split is deterministic.
/// Tier sizes are rounded to the nearest customer; with at least one customer the top tier is never empty.
/// Profiles without a purchase are not ranked (they have shown no value yet).
/// </summary>
public static class ValueTiers
{
    /// <summary>Share of customers in the top tier.</summary>
    public const double TopShare = 0.2;

    /// <summary>Share of customers in the bottom tier.</summary>
    public const double BottomShare = 0.2;

    /// <summary>Assigns a tier name to each ranked customer.</summary>
    public static IReadOnlyDictionary<string, string> Assign(IEnumerable<(string ProfileId, decimal Value)> customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var ranked = customers.OrderByDescending(c => c.Value).ThenBy(c => c.ProfileId, StringComparer.Ordinal).ToList();
        var n = ranked.Count;
        var top = n == 0 ? 0 : Math.Max(1, (int)Math.Round(n * TopShare, MidpointRounding.AwayFromZero));
        var bottom = Math.Min(n - top, (int)Math.Round(n * BottomShare, MidpointRounding.AwayFromZero));
        var tiers = new Dictionary<string, string>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            tiers[ranked[i].ProfileId] = i < top ? SegmentNames.Top20 : i >= n - bottom ? SegmentNames.Bottom20 : SegmentNames.Middle60;
        }

        return tiers;
    }
}
