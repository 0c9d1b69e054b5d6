using CustomerValue.Domain.Segments;

namespace CustomerValue.Segmentation.Segments.Rules;

/// <summary>
/// <c>dormant</c>: P(alive) below 0.3, or no order for longer than 3 × the person's own average days between orders
/// (one-time buyers: 365 days). The own rhythm matters: 90 days of silence is long for a weekly buyer and nothing for
/// someone who buys twice a year.
/// </summary>
public sealed class DormantRule : ISegmentRule
{
    public string Name => SegmentNames.Dormant;

    public string Description => "Probably lapsed: win them back cheaply or stop spending on them.";

    public string Definition => "P(alive) < 0.3, or days since the last order > 3 × the person's average days between orders (one-time buyers: > 365 days)";

    public SegmentTiming Timing => SegmentTiming.RealTime;

    public bool RequiresPurchase => true;

    public SegmentMatch? Evaluate(SegmentInput input, SegmentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Segments.Dormant;
        if (input.PAlive is { } alive && alive < options.MaxPAlive)
        {
            return new SegmentMatch(Name, $"pAlive {Reasons.Number(alive)} < {Reasons.Number(options.MaxPAlive)}");
        }

        if (input.LastOrderAt is not { } last)
        {
            return null;
        }

        var silent = (context.AsOf - last).TotalDays;
        if (input.AverageDaysBetweenOrders is { } gap)
        {
            var limit = options.GapMultiple * gap;
            return silent > limit
                ? new SegmentMatch(Name, $"daysSinceLastOrder {Reasons.Number(Math.Floor(silent))} > {Reasons.Number(options.GapMultiple)} × averageGap {Reasons.Number(Math.Round(gap, 1))}")
                : null;
        }

        return silent > options.OneTimeBuyerDays
            ? new SegmentMatch(Name, $"daysSinceLastOrder {Reasons.Number(Math.Floor(silent))} > {options.OneTimeBuyerDays} (one-time buyer)")
            : null;
    }
}
