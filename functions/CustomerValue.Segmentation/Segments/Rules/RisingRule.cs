using CustomerValue.Domain.Segments;

namespace CustomerValue.Segmentation.Segments.Rules;

/// <summary>
/// <c>rising</c>, potential top customers: not in <c>top-20</c>, and either moved up a tier or gained at least 20
/// percentile points since the previous run, or predicted profit of at least 80 % of the <c>top-20</c> threshold with
/// P(alive) ≥ 0.7. Rank-based: tiers and percentiles come from the whole run's ranking.
/// </summary>
public sealed class RisingRule : ISegmentRule
{
    public string Name => SegmentNames.Rising;

    public string Description => "Potential top customers: climbing the ranking or close to the top and active. Invest to move them up.";

    public string Definition => "not in top-20, and (moved up a tier or gained ≥ 20 percentile points since the previous run, or predicted profit ≥ 80 % of the top-20 threshold with P(alive) ≥ 0.7)";

    public SegmentTiming Timing => SegmentTiming.RankBased;

    public bool RequiresPurchase => true;

    public SegmentMatch? Evaluate(SegmentInput input, SegmentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Segments.Rising;
        var profit = context.ProfitOf(input);
        var tier = context.TierOf(input);
        if (tier is null || tier == SegmentNames.Top20)
        {
            return null;
        }

        if (TierThresholds.RankOf(input.PreviousTier) is { } previous && TierThresholds.RankOf(tier) < previous)
        {
            return new SegmentMatch(Name, $"tier {input.PreviousTier} → {tier}");
        }

        if (input.PreviousPercentile is { } before && context.Thresholds.PercentileOf(profit) is { } now && now - before >= options.MinPercentileGain)
        {
            return new SegmentMatch(Name, $"percentile {Reasons.Number(before)} → {Reasons.Number(now)} (gain ≥ {Reasons.Number(options.MinPercentileGain)})");
        }

        // With a top threshold at or below zero, "80 % of it" would admit customers worth nothing.
        var close = context.Thresholds.Top20 is > 0m and var top ? top * options.ShareOfTopThreshold : (decimal?)null;
        if (close is { } bar && profit >= bar && input.PAlive is { } alive && alive >= options.MinPAlive)
        {
            return new SegmentMatch(Name, $"predictedProfit {Reasons.Money(profit)} ≥ {Reasons.Number((double)options.ShareOfTopThreshold * 100)} % of top-20 threshold {Reasons.Money(context.Thresholds.Top20!.Value)}; pAlive {Reasons.Number(alive)} ≥ {Reasons.Number(options.MinPAlive)}");
        }

        return null;
    }
}
