using CustomerValue.Domain.Segments;

namespace CustomerValue.Segmentation.Segments.Rules;

/// <summary>
/// <c>overdue</c>, the reactivation audience: the expected next order passed more than half the person's average gap
/// ago while P(alive) ≥ 0.3 (below that the customer is dormant). One-time buyers have no gap of their own and are never
/// overdue: they become dormant instead.
/// </summary>
public sealed class OverdueRule : ISegmentRule
{
    public string Name => SegmentNames.Overdue;

    public string Description => "Late for their next order but probably still active: reactivate them now.";

    public string Definition => "expected next order passed by more than 0.5 × the person's average days between orders, and P(alive) ≥ 0.3";

    public SegmentTiming Timing => SegmentTiming.RealTime;

    public bool RequiresPurchase => true;

    public SegmentMatch? Evaluate(SegmentInput input, SegmentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Segments.Overdue;
        if (input.ExpectedNextOrderAt is not { } next || input.AverageDaysBetweenOrders is not { } gap
            || input.PAlive is not { } alive || alive < options.MinPAlive)
        {
            return null;
        }

        var late = (context.AsOf - next).TotalDays;
        var limit = options.ShareOfGap * gap;
        return late > limit
            ? new SegmentMatch(Name, $"expectedNextOrder {Reasons.Date(next)} passed by {Reasons.Number(Math.Floor(late))} days > {Reasons.Number(options.ShareOfGap)} × averageGap {Reasons.Number(Math.Round(gap, 1))}; pAlive {Reasons.Number(alive)} ≥ {Reasons.Number(options.MinPAlive)}")
            : null;
    }
}
