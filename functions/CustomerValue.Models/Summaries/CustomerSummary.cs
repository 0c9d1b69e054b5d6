namespace CustomerValue.Models.Summaries;

/// <summary>
/// The RFM summary of one customer, in one time unit (days or weeks), from a calibration end date.
/// </summary>
/// <param name="Id">Customer identifier.</param>
/// <param name="Frequency">x: number of repeat purchase periods (same-day purchases count once).</param>
/// <param name="Recency">t_x: time from the first purchase to the last repeat purchase (0 when x = 0).</param>
/// <param name="T">T: time from the first purchase to the end of the calibration period.</param>
/// <param name="MonetaryValue">Mean value of the repeat purchases (0 when x = 0).</param>
public sealed record CustomerSummary(string Id, double Frequency, double Recency, double T, double MonetaryValue)
{
    /// <summary>The summary without its identifier.</summary>
    public SummaryRow ToRow() => new(Frequency, Recency, T, MonetaryValue);
}
