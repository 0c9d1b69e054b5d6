using CustomerValue.Domain.Segments;

namespace CustomerValue.Segmentation.Segments.Rules;

/// <summary>
/// <c>not-worth-investing</c>: predicted 12-month profit ≤ 0 after margin, returns and cost to serve, or a return rate
/// (share of gross revenue refunded) ≥ 50 % over at least 3 orders. Excluding them from paid audiences saves money.
/// </summary>
public sealed class NotWorthInvestingRule : ISegmentRule
{
    public string Name => SegmentNames.NotWorthInvesting;

    public string Description => "Cost more to serve than they bring, or send most of it back: exclude them from paid campaigns.";

    public string Definition => "predicted 12-month profit ≤ 0, or return rate ≥ 50 % over at least 3 orders";

    public SegmentTiming Timing => SegmentTiming.RealTime;

    public bool RequiresPurchase => true;

    public SegmentMatch? Evaluate(SegmentInput input, SegmentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Segments.NotWorthInvesting;
        var profit = context.ProfitOf(input);
        if (profit <= options.MaxProfit)
        {
            return new SegmentMatch(Name, $"predictedProfit {Reasons.Money(profit)} ≤ {Reasons.Money(options.MaxProfit)}");
        }

        return input.Orders >= options.MinOrdersForReturnRate && input.ReturnRate >= options.MinReturnRate
            ? new SegmentMatch(Name, $"returnRate {Reasons.Number(Math.Round(input.ReturnRate, 2))} ≥ {Reasons.Number(options.MinReturnRate)} over {input.Orders} orders")
            : null;
    }
}
