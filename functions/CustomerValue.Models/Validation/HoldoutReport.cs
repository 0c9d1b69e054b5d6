using CustomerValue.Models.Valuation;

namespace CustomerValue.Models.Validation;

/// <summary>Result of <see cref="HoldoutComparison.Compare"/>.</summary>
/// <param name="Model">The model fitted on the calibration period.</param>
/// <param name="Rows">Actual vs predicted holdout purchases by calibration frequency.</param>
/// <param name="HoldoutLength">Holdout length in model time units.</param>
/// <param name="Customers">Customers acquired by the calibration end (all rows together).</param>
/// <param name="ActualTotal">Total holdout repeat purchases.</param>
/// <param name="PredictedTotal">Total predicted holdout repeat purchases.</param>
public sealed record HoldoutReport(
    IRepeatPurchaseModel Model, IReadOnlyList<HoldoutRow> Rows, double HoldoutLength, int Customers, double ActualTotal, double PredictedTotal);
