using CustomerValue.Domain.Segments;

namespace CustomerValue.Segmentation.Segments.Rules;

/// <summary><c>new-customers</c>: the first order within the last 30 days: the onboarding audience.</summary>
public sealed class NewCustomersRule : ISegmentRule
{
    public string Name => SegmentNames.NewCustomers;

    public string Description => "Bought for the first time recently: onboard them towards a second order.";

    public string Definition => "first order within the last 30 days";

    public SegmentTiming Timing => SegmentTiming.RealTime;

    public bool RequiresPurchase => true;

    public SegmentMatch? Evaluate(SegmentInput input, SegmentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var days = context.Segments.NewCustomers.Days;
        return input.FirstOrderAt is { } first && first >= context.AsOf.AddDays(-days)
            ? new SegmentMatch(Name, $"firstOrder {Reasons.Date(first)} within {days} days")
            : null;
    }
}
