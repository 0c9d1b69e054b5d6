namespace CustomerValue.Models.Validation;

/// <summary>Holdout purchases of the customers with one calibration frequency: actual mean against the model's.</summary>
/// <param name="CalibrationFrequency">Repeat purchases in the calibration period (the last row holds this many or more).</param>
/// <param name="IsOpenEnded">Whether the row collects every frequency ≥ <paramref name="CalibrationFrequency"/>.</param>
/// <param name="Customers">Customers in the row.</param>
/// <param name="ActualMean">Mean number of repeat purchase days in the holdout period.</param>
/// <param name="PredictedMean">Mean of E[Y(t) | x, t_x, T] over the same customers, t the holdout length.</param>
public sealed record HoldoutRow(int CalibrationFrequency, bool IsOpenEnded, int Customers, double ActualMean, double PredictedMean)
{
    /// <summary>Row label: "3" or "7+".</summary>
    public string Label => IsOpenEnded ? $"{CalibrationFrequency}+" : CalibrationFrequency.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
