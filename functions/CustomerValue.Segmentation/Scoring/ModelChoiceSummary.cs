using CustomerValue.Models.Validation;

namespace CustomerValue.Segmentation.Scoring;

/// <summary>
/// The time-split holdout comparison recorded on a run (see <see cref="ModelComparison"/>): each candidate's holdout
/// errors, the winner and why, and the winner's calibration tables. Numbers that could not be computed are null.
/// </summary>
/// <param name="CalibrationEnd">Last day of the calibration period.</param>
/// <param name="HoldoutEnd">Last day of the holdout period.</param>
/// <param name="Customers">Customers acquired by the calibration end.</param>
/// <param name="Winner">The chosen model (bgnbd, paretonbd, mbgnbd); null when none could be fitted.</param>
/// <param name="Reason">Why it won, in words.</param>
/// <param name="Models">Every candidate's holdout figures.</param>
/// <param name="CalibrationTable">The winner's mean predicted and actual holdout purchases by calibration purchases.</param>
/// <param name="AliveCalibration">The winner's P(alive) calibration bins.</param>
public sealed record ModelChoiceSummary(
    DateTime CalibrationEnd,
    DateTime HoldoutEnd,
    int Customers,
    string? Winner,
    string Reason,
    IReadOnlyList<ModelHoldoutSummary> Models,
    IReadOnlyList<HoldoutRow> CalibrationTable,
    IReadOnlyList<AliveCalibrationRow> AliveCalibration)
{
    /// <summary>Records a comparison report.</summary>
    public static ModelChoiceSummary From(ModelComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var winner = report.Models.FirstOrDefault(m => m.Model == report.Winner);
        return new ModelChoiceSummary(
            report.CalibrationEnd,
            report.HoldoutEnd,
            report.Customers,
            report.Winner is { } w ? ClvScorer.NameOf(w) : null,
            report.Reason,
            [.. report.Models.Select(m => new ModelHoldoutSummary(
                ClvScorer.NameOf(m.Model), Finite(m.MeanAbsoluteError), Finite(m.RootMeanSquaredError), Finite(m.PredictedTotal),
                Finite(m.ActualTotal), Finite(m.AggregateRelativeError), m.Error))],
            winner?.CalibrationTable.Where(r => double.IsFinite(r.PredictedMean) && double.IsFinite(r.ActualMean)).ToList() ?? [],
            winner?.AliveCalibration.Where(r => double.IsFinite(r.MeanProbabilityAlive) && double.IsFinite(r.ShareActiveInHoldout)
                && double.IsFinite(r.MeanPredictedPurchases) && double.IsFinite(r.MeanActualPurchases)).ToList() ?? []);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? Math.Round(value, 6) : null;
}

/// <summary>One candidate model's holdout figures.</summary>
/// <param name="Model">bgnbd, paretonbd or mbgnbd.</param>
/// <param name="MeanAbsoluteError">Per-customer mean absolute error of holdout purchases.</param>
/// <param name="RootMeanSquaredError">Per-customer root mean squared error.</param>
/// <param name="PredictedTotal">Predicted holdout purchases of all customers.</param>
/// <param name="ActualTotal">Actual holdout purchases of all customers.</param>
/// <param name="AggregateError">(predicted − actual) / actual total.</param>
/// <param name="Error">Why it could not be fitted, if it could not.</param>
public sealed record ModelHoldoutSummary(
    string Model, double? MeanAbsoluteError, double? RootMeanSquaredError, double? PredictedTotal, double? ActualTotal, double? AggregateError, string? Error);
