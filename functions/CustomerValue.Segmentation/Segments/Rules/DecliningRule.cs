using CustomerValue.Domain.Segments;

namespace CustomerValue.Segmentation.Segments.Rules;

/// <summary>
/// <c>declining</c>: predicted CLV fell by at least 30 % since the previous run, or the customer dropped a tier, while
/// the latest order is at most 2 years old (older customers are dormant, not declining). Predicted CLV rather than
/// profit measures the fall because profit can be negative, where a percentage means nothing.
/// </summary>
public sealed class DecliningRule : ISegmentRule
{
    public string Name => SegmentNames.Declining;

    public string Description => "Recent buyers whose value is falling: reach them before they lapse.";

    public string Definition => "predicted CLV fell ≥ 30 % since the previous run, or dropped a tier, and bought within the last 730 days";

    public SegmentTiming Timing => SegmentTiming.RankBased;

    public bool RequiresPurchase => true;

    public SegmentMatch? Evaluate(SegmentInput input, SegmentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Segments.Declining;
        if (input.LastOrderAt is not { } last || last < context.AsOf.AddDays(-options.BoughtWithinDays))
        {
            return null;
        }

        var recency = $"lastOrder {Reasons.Date(last)} within {options.BoughtWithinDays} days";
        if (input.PreviousPredictedClv is > 0m and var before && input.PredictedClv is { } now && now <= before * (1 - options.MinValueDrop))
        {
            var drop = (double)((before - now) / before) * 100;
            return new SegmentMatch(Name, $"predictedClv {Reasons.Money(before)} → {Reasons.Money(now)} (−{Reasons.Number(Math.Round(drop, 1))} % ≥ {Reasons.Number((double)options.MinValueDrop * 100)} %); {recency}");
        }

        var tier = context.TierOf(input);
        if (TierThresholds.RankOf(input.PreviousTier) is { } previous && TierThresholds.RankOf(tier) > previous)
        {
            return new SegmentMatch(Name, $"tier {input.PreviousTier} → {tier}; {recency}");
        }

        return null;
    }
}
