namespace CustomerValue.Models.Summaries;

/// <summary>
/// Descriptive history of one customer up to the calibration end (from net purchase days; see <see cref="TransactionSummarizer"/>).
/// </summary>
/// <param name="Id">Customer identifier.</param>
/// <param name="FirstPurchase">Date of the first purchase.</param>
/// <param name="LastPurchase">Date of the last purchase.</param>
/// <param name="Orders">Purchase days, the first included (same-day purchases count once).</param>
/// <param name="TotalSpend">Net spend over all purchase days, returns deducted: the historic customer value (multiply by a margin for profit).</param>
public sealed record CustomerHistory(string Id, DateTime FirstPurchase, DateTime LastPurchase, int Orders, decimal TotalSpend)
{
    /// <summary>Average order value: <see cref="TotalSpend"/> / <see cref="Orders"/>.</summary>
    public decimal AverageOrderValue => Orders > 0 ? TotalSpend / Orders : 0m;

    /// <summary>Average days between orders, (last − first) / (orders − 1); null with a single order.</summary>
    public double? AverageDaysBetweenOrders => Orders > 1 ? (LastPurchase - FirstPurchase).TotalDays / (Orders - 1) : null;
}
