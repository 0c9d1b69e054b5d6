namespace CustomerValue.Models.Validation;

/// <summary>
/// Customers whose calibration-end P(alive) fell in [<paramref name="From"/>, <paramref name="To"/>): what the model said
/// against what they did in the holdout period.
/// </summary>
/// <param name="From">Lower end of the P(alive) bin.</param>
/// <param name="To">Upper end of the bin (the last bin includes 1).</param>
/// <param name="Customers">Customers in the bin.</param>
/// <param name="MeanProbabilityAlive">Mean predicted P(alive) at the calibration end.</param>
/// <param name="ShareActiveInHoldout">
/// Share who bought at least once in the holdout period: a lower bound on the share alive (an active customer may not
/// have bought yet), so a calibrated model has it at or below <paramref name="MeanProbabilityAlive"/>, and rising with it.
/// </param>
/// <param name="MeanPredictedPurchases">Mean predicted holdout purchases.</param>
/// <param name="MeanActualPurchases">Mean actual holdout purchases.</param>
public sealed record AliveCalibrationRow(
    double From, double To, int Customers, double MeanProbabilityAlive, double ShareActiveInHoldout, double MeanPredictedPurchases, double MeanActualPurchases);
