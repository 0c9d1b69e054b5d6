namespace CustomerValue.Segmentation.Segments;

/// <summary>
/// Predicted 12-month profit, what the value tiers rank by:
/// <code>
/// profit = predictedClv × grossMargin − expectedOrders × costPerOrder − expectedOrders × returnShare × costPerReturn
/// </code>
/// where <c>expectedOrders</c> is the models' expected purchases over the 12 months and <c>returnShare</c> the share of
/// the customer's purchases so far that came back (<see cref="SegmentInput.ReturnedOrders"/> / orders). Predicted CLV
/// is already net of returned money, so returns weigh twice, as they do in a shop: the money goes back and handling it
/// costs. Until the models have valued a customer (no <see cref="SegmentInput.PredictedClv"/>), the profit of the
/// history stands in: net revenue × margin − orders × cost per order − returns × cost per return.
/// </summary>
public static class PredictedProfit
{
    /// <summary>The customer's predicted 12-month profit, rounded to cents.</summary>
    public static decimal Of(SegmentInput input, ValueOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        if (input.PredictedClv is not { } clv)
        {
            return decimal.Round(input.NetRevenue * options.GrossMargin - input.Orders * options.CostPerOrder - input.ReturnedOrders * options.CostPerReturn, 2);
        }

        var expectedOrders = (decimal)Math.Max(0, input.ExpectedPurchases ?? 0);
        var returnShare = input.Orders == 0 ? 0m : Math.Min(1m, (decimal)input.ReturnedOrders / input.Orders);
        return decimal.Round(clv * options.GrossMargin - expectedOrders * options.CostPerOrder - expectedOrders * returnShare * options.CostPerReturn, 2);
    }
}
