namespace CustomerValue.Models.Validation;

/// <summary>Result of <see cref="ModelComparison.Compare(IReadOnlyList{Summaries.Transaction}, DateTime, DateTime, Summaries.TimeUnit, ModelComparisonOptions?)"/>.</summary>
/// <param name="CalibrationEnd">Last day of the calibration period.</param>
/// <param name="HoldoutEnd">Last day of the holdout period.</param>
/// <param name="HoldoutLength">Holdout length in model time units.</param>
/// <param name="Customers">Customers acquired by the calibration end (those scored).</param>
/// <param name="Models">Every candidate, in the order asked for.</param>
/// <param name="Winner">The model with the smallest mean absolute error; null when none could be fitted.</param>
/// <param name="Reason">Why the winner won, in words.</param>
public sealed record ModelComparisonReport(
    DateTime CalibrationEnd,
    DateTime HoldoutEnd,
    double HoldoutLength,
    int Customers,
    IReadOnlyList<ModelHoldoutResult> Models,
    RepeatPurchaseModelKind? Winner,
    string Reason);
