using CustomerValue.Domain.Segments;

namespace CustomerValue.Segmentation.Segments.Rules;

/// <summary>
/// <c>most-valuable</c>: in <c>top-20</c> and active in at least two channels (purchases in web / app / store and
/// engagement touches, a web order and a web visit being one channel) within the last 365 days. Customers who are both
/// valuable and reachable in several places are the ones the business cannot afford to lose.
/// </summary>
public sealed class MostValuableRule : ISegmentRule
{
    public string Name => SegmentNames.MostValuable;

    public string Description => "Top-tier customers engaged across several channels: the most valuable customers, to retain at almost any cost.";

    public string Definition => "in top-20 and a purchase or touch in ≥ 2 channels (web, app, store, email) within the last 365 days";

    public SegmentTiming Timing => SegmentTiming.RealTime;

    public bool RequiresPurchase => true;

    public SegmentMatch? Evaluate(SegmentInput input, SegmentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Segments.MostValuable;
        var profit = context.ProfitOf(input);
        if (context.TierOf(input) != SegmentNames.Top20)
        {
            return null;
        }

        var since = context.AsOf.AddDays(-options.ActiveDays);
        var active = input.Channels.Where(c => c.LastAt >= since).Select(c => c.Channel).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return active.Count < options.MinChannels
            ? null
            : new SegmentMatch(Name, $"{ValueTierRule.ReasonFor(profit, context.Thresholds)}; channels {string.Join('+', active)} within {options.ActiveDays} days");
    }
}
