using CustomerValue.Models.Summaries;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Models.Validation;

/// <summary>
/// Calibration/holdout check of a repeat-purchase model (as in FHL 2005 §4, Figure 4): fit on the transactions up to
/// the calibration end, predict each customer's purchases in the holdout period, compare with what happened, grouped by
/// calibration frequency.
/// </summary>
public static class HoldoutComparison
{
    /// <summary>
    /// Builds the holdout table. Holdout purchases of a customer are the purchase days (same rules as
    /// <see cref="TransactionSummarizer"/>) after the calibration end up to <paramref name="holdoutEnd"/>; only customers
    /// whose first purchase is on or before the calibration end are included.
    /// </summary>
    /// <param name="transactions">All transactions (calibration and holdout).</param>
    /// <param name="calibrationEnd">Last day of the calibration period.</param>
    /// <param name="holdoutEnd">Last day of the holdout period.</param>
    /// <param name="unit">Time unit of the summaries and the model.</param>
    /// <param name="fit">Fits the model to the calibration summaries, e.g. <c>s =&gt; BgNbdModel.Fit(s)</c>.</param>
    /// <param name="maxFrequency">Calibration frequencies at or above this share the last, open-ended row.</param>
    public static HoldoutReport Compare(
        IReadOnlyList<Transaction> transactions,
        DateTime calibrationEnd,
        DateTime holdoutEnd,
        TimeUnit unit,
        Func<IReadOnlyList<CustomerSummary>, IRepeatPurchaseModel> fit,
        int maxFrequency = 7)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(fit);
        if (holdoutEnd.Date <= calibrationEnd.Date)
        {
            throw new ArgumentOutOfRangeException(nameof(holdoutEnd), holdoutEnd, "The holdout period must end after the calibration end.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxFrequency);
        var calibration = TransactionSummarizer.Summarize(transactions, calibrationEnd, unit).Summaries;
        var through = TransactionSummarizer.Summarize(transactions, holdoutEnd, unit).Summaries.ToDictionary(s => s.Id, StringComparer.Ordinal);
        var model = fit(calibration);
        double length = TimeUnits.Between(calibrationEnd, holdoutEnd, unit);

        var buckets = new (int Customers, double Actual, double Predicted)[maxFrequency + 1];
        double actualTotal = 0, predictedTotal = 0;
        foreach (var s in calibration)
        {
            double actual = Math.Max(0, through[s.Id].Frequency - s.Frequency);
            double predicted = model.ExpectedPurchases(length, s.Frequency, s.Recency, s.T);
            int b = (int)Math.Min(s.Frequency, maxFrequency);
            buckets[b] = (buckets[b].Customers + 1, buckets[b].Actual + actual, buckets[b].Predicted + predicted);
            actualTotal += actual;
            predictedTotal += predicted;
        }

        var rows = buckets
            .Select((b, i) => new HoldoutRow(i, i == maxFrequency, b.Customers, b.Customers > 0 ? b.Actual / b.Customers : double.NaN, b.Customers > 0 ? b.Predicted / b.Customers : double.NaN))
            .ToArray();
        return new HoldoutReport(model, rows, length, calibration.Count, actualTotal, predictedTotal);
    }
}
