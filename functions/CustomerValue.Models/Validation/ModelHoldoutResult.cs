using CustomerValue.Models.Fitting;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Models.Validation;

/// <summary>One model fitted on the calibration period and scored on the holdout period.</summary>
/// <param name="Model">Which model.</param>
/// <param name="Fit">The calibration fit (also an <see cref="IRepeatPurchaseModel"/>); null when it could not be fitted.</param>
/// <param name="Error">Why it could not be fitted; null otherwise.</param>
/// <param name="MeanAbsoluteError">Mean over customers of |predicted − actual| holdout purchases.</param>
/// <param name="RootMeanSquaredError">Root mean square of predicted − actual holdout purchases.</param>
/// <param name="PredictedTotal">Σ predicted holdout purchases.</param>
/// <param name="ActualTotal">Σ actual holdout purchases.</param>
/// <param name="CalibrationTable">Mean predicted and actual holdout purchases by number of calibration purchases.</param>
/// <param name="AliveCalibration">P(alive) calibration in ten bins of predicted P(alive).</param>
public sealed record ModelHoldoutResult(
    RepeatPurchaseModelKind Model,
    ModelFit? Fit,
    string? Error,
    double MeanAbsoluteError,
    double RootMeanSquaredError,
    double PredictedTotal,
    double ActualTotal,
    IReadOnlyList<HoldoutRow> CalibrationTable,
    IReadOnlyList<AliveCalibrationRow> AliveCalibration)
{
    /// <summary>(Σ predicted − Σ actual) / Σ actual: the aggregate error of the holdout purchase count (NaN when nobody bought).</summary>
    public double AggregateRelativeError => ActualTotal > 0 ? (PredictedTotal - ActualTotal) / ActualTotal : double.NaN;
}
