namespace CustomerValue.Models.Summaries;

/// <summary>
/// The RFM summary of one customer without an identifier (compact, for simulation and large batches).
/// </summary>
/// <param name="Frequency">x: number of repeat purchase periods (purchases after the first; same-day purchases count once).</param>
/// <param name="Recency">t_x: time from the first purchase to the last repeat purchase (0 when x = 0).</param>
/// <param name="T">T: time from the first purchase to the end of the calibration period.</param>
/// <param name="MonetaryValue">Mean value of the repeat purchases (0 when x = 0).</param>
public readonly record struct SummaryRow(double Frequency, double Recency, double T, double MonetaryValue);
