using CustomerValue.Domain.Segments;

namespace CustomerValue.Segmentation.Segments.Rules;

/// <summary>
/// <c>due-soon</c>: the expected next order (anchored at the last order) falls within the next 14 days: a reminder
/// then arrives when the customer is about to buy anyway.
/// </summary>
public sealed class DueSoonRule : ISegmentRule
{
    public string Name => SegmentNames.DueSoon;

    public string Description => "Expected to order again within days: time a reminder or replenishment offer.";

    public string Definition => "expected next order between now and 14 days from now";

    public SegmentTiming Timing => SegmentTiming.RealTime;

    public bool RequiresPurchase => true;

    public SegmentMatch? Evaluate(SegmentInput input, SegmentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var days = context.Segments.DueSoon.Days;
        return input.ExpectedNextOrderAt is { } next && next >= context.AsOf && next <= context.AsOf.AddDays(days)
            ? new SegmentMatch(Name, $"expectedNextOrder {Reasons.Date(next)} within {days} days")
            : null;
    }
}
