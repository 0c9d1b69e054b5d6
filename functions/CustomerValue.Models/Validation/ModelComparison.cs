using System.Globalization;
using CustomerValue.Models.BgNbd;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.MbgNbd;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Models.Validation;

/// <summary>
/// Chooses a repeat-purchase model by a time-split holdout: BG/NBD, Pareto/NBD and MBG/NBD are fitted on the calibration
/// period and compared on what the same customers bought in the holdout period (the validation of FHL 2005 §4 and
/// Batislam et al. 2007 §4, applied to pick a model).
/// </summary>
/// <remarks>
/// The split: the calibration period runs from the first transaction to the calibration end (inclusive), the holdout
/// period from the day after to the holdout end. Only customers whose first purchase is on or before the calibration end
/// are scored (the models predict repeat purchases of known customers); their holdout purchases are counted with the
/// summary rules of <see cref="TransactionSummarizer"/> (purchase days, returns netted), as the difference between the
/// frequency through the holdout end and through the calibration end. Each model predicts E[Y(h) | x, t_x, T] for the
/// holdout length h. The winner has the smallest per-customer mean absolute error; ties (within 1e-9) go to the smaller
/// absolute aggregate error. A model that cannot be fitted (bad input) is reported with its error and cannot win.
/// </remarks>
public static class ModelComparison
{
    /// <summary>
    /// The default split: the last <paramref name="holdoutFraction"/> of the days from the first to the last transaction
    /// is the holdout (a third by default; CDNOW's published split is a half). Returns (calibration end, holdout end).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1).</exception>
    /// <exception cref="ArgumentException">The transactions span fewer than two days.</exception>
    public static (DateTime CalibrationEnd, DateTime HoldoutEnd) Split(IReadOnlyList<Transaction> transactions, double holdoutFraction = 1.0 / 3)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        if (!(holdoutFraction > 0 && holdoutFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(holdoutFraction), holdoutFraction, "The holdout fraction must be between 0 and 1.");
        }

        if (transactions.Count == 0)
        {
            throw new ArgumentException("No transactions to split.", nameof(transactions));
        }

        var first = transactions.Min(t => t.Date.Date);
        var last = transactions.Max(t => t.Date.Date);
        int days = (last - first).Days;
        if (days < 2)
        {
            throw new ArgumentException("The transactions span fewer than two days: nothing to hold out.", nameof(transactions));
        }

        int holdoutDays = Math.Clamp((int)Math.Round(days * holdoutFraction), 1, days - 1);
        return (last.AddDays(-holdoutDays), last);
    }

    /// <summary>Compares the models on the default split (see <see cref="Split"/>).</summary>
    public static ModelComparisonReport Compare(IReadOnlyList<Transaction> transactions, TimeUnit unit, ModelComparisonOptions? options = null)
    {
        var (calibrationEnd, holdoutEnd) = Split(transactions);
        return Compare(transactions, calibrationEnd, holdoutEnd, unit, options);
    }

    /// <summary>Fits every candidate on the calibration period and scores it on the holdout period (see the remarks).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The holdout does not end after the calibration end.</exception>
    public static ModelComparisonReport Compare(
        IReadOnlyList<Transaction> transactions, DateTime calibrationEnd, DateTime holdoutEnd, TimeUnit unit, ModelComparisonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        options ??= ModelComparisonOptions.Default;
        if (holdoutEnd.Date <= calibrationEnd.Date)
        {
            throw new ArgumentOutOfRangeException(nameof(holdoutEnd), holdoutEnd, "The holdout period must end after the calibration end.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxFrequency);
        var calibration = TransactionSummarizer.Summarize(transactions, calibrationEnd, unit, histories: false).Summaries;
        var through = TransactionSummarizer.Summarize(transactions, holdoutEnd, unit, histories: false).Summaries.ToDictionary(s => s.Id, StringComparer.Ordinal);
        double length = TimeUnits.Between(calibrationEnd, holdoutEnd, unit);
        var actual = calibration.Select(s => Math.Max(0, through[s.Id].Frequency - s.Frequency)).ToArray();

        var results = options.Models.Select(kind => Score(kind, calibration, actual, length, options)).ToList();
        var fitted = results.Where(r => r.Fit is not null).ToList();
        if (fitted.Count == 0)
        {
            return new ModelComparisonReport(calibrationEnd.Date, holdoutEnd.Date, length, calibration.Count, results, null, "No model could be fitted.");
        }

        var winner = fitted
            .OrderBy(r => r.MeanAbsoluteError)
            .ThenBy(r => Math.Abs(r.PredictedTotal - r.ActualTotal))
            .First();
        var tied = fitted.Where(r => r != winner && Math.Abs(r.MeanAbsoluteError - winner.MeanAbsoluteError) <= 1e-9).ToList();
        var c = CultureInfo.InvariantCulture;
        string others = string.Join(", ", fitted.Where(r => r != winner).Select(r => string.Format(c, "{0} {1:G4}", r.Model, r.MeanAbsoluteError)));
        string reason = string.Format(
            c,
            "{0}: smallest mean absolute error of holdout purchases per customer ({1:G4}; {2}){3}; aggregate error {4:P1}.",
            winner.Model,
            winner.MeanAbsoluteError,
            others.Length > 0 ? others : "no other model fitted",
            tied.Count > 0 ? "; tied, decided by the aggregate error" : string.Empty,
            winner.AggregateRelativeError);
        return new ModelComparisonReport(calibrationEnd.Date, holdoutEnd.Date, length, calibration.Count, results, winner.Model, reason);
    }

    /// <summary>Fits one model on the calibration summaries.</summary>
    public static ModelFit Fit(RepeatPurchaseModelKind kind, IReadOnlyList<CustomerSummary> summaries, FitOptions? options = null) => kind switch
    {
        RepeatPurchaseModelKind.BgNbd => BgNbdModel.Fit(summaries, options),
        RepeatPurchaseModelKind.ParetoNbd => ParetoNbdModel.Fit(summaries, options),
        RepeatPurchaseModelKind.MbgNbd => MbgNbdModel.Fit(summaries, options),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown model."),
    };

    private static ModelHoldoutResult Score(
        RepeatPurchaseModelKind kind, IReadOnlyList<CustomerSummary> calibration, double[] actual, double length, ModelComparisonOptions options)
    {
        ModelFit fit;
        try
        {
            fit = Fit(kind, calibration, options.Fit);
        }
        catch (ModelInputException ex)
        {
            return new ModelHoldoutResult(kind, null, ex.Message, double.NaN, double.NaN, double.NaN, actual.Sum(), [], []);
        }

        var model = (IRepeatPurchaseModel)fit;
        int n = calibration.Count;
        var predicted = new double[n];
        var alive = new double[n];
        var cache = new Dictionary<(double, double, double), (double Predicted, double Alive)>();
        for (int i = 0; i < n; i++)
        {
            var s = calibration[i];
            var key = (s.Frequency, s.Recency, s.T);
            if (!cache.TryGetValue(key, out var value))
            {
                value = (model.ExpectedPurchases(length, s.Frequency, s.Recency, s.T), model.ProbabilityAlive(s.Frequency, s.Recency, s.T));
                cache[key] = value;
            }

            (predicted[i], alive[i]) = value;
        }

        double absolute = 0, squared = 0;
        for (int i = 0; i < n; i++)
        {
            double e = predicted[i] - actual[i];
            absolute += Math.Abs(e);
            squared += e * e;
        }

        return new ModelHoldoutResult(
            kind,
            fit,
            null,
            n > 0 ? absolute / n : double.NaN,
            n > 0 ? Math.Sqrt(squared / n) : double.NaN,
            predicted.Sum(),
            actual.Sum(),
            CalibrationTable(calibration, predicted, actual, options.MaxFrequency),
            AliveCalibration(alive, predicted, actual));
    }

    private static HoldoutRow[] CalibrationTable(IReadOnlyList<CustomerSummary> calibration, double[] predicted, double[] actual, int maxFrequency)
    {
        var buckets = new (int Customers, double Actual, double Predicted)[maxFrequency + 1];
        for (int i = 0; i < calibration.Count; i++)
        {
            int b = (int)Math.Min(calibration[i].Frequency, maxFrequency);
            buckets[b] = (buckets[b].Customers + 1, buckets[b].Actual + actual[i], buckets[b].Predicted + predicted[i]);
        }

        return [.. buckets.Select((b, i) => new HoldoutRow(
            i, i == maxFrequency, b.Customers, b.Customers > 0 ? b.Actual / b.Customers : double.NaN, b.Customers > 0 ? b.Predicted / b.Customers : double.NaN))];
    }

    private static AliveCalibrationRow[] AliveCalibration(double[] alive, double[] predicted, double[] actual)
    {
        const int Bins = 10;
        var sums = new (int Customers, double Alive, double Active, double Predicted, double Actual)[Bins];
        for (int i = 0; i < alive.Length; i++)
        {
            int b = Math.Clamp((int)(alive[i] * Bins), 0, Bins - 1);
            sums[b] = (sums[b].Customers + 1, sums[b].Alive + alive[i], sums[b].Active + (actual[i] > 0 ? 1 : 0), sums[b].Predicted + predicted[i], sums[b].Actual + actual[i]);
        }

        return [.. sums.Select((s, b) => new AliveCalibrationRow(
            (double)b / Bins,
            (b + 1.0) / Bins,
            s.Customers,
            s.Customers > 0 ? s.Alive / s.Customers : double.NaN,
            s.Customers > 0 ? s.Active / s.Customers : double.NaN,
            s.Customers > 0 ? s.Predicted / s.Customers : double.NaN,
            s.Customers > 0 ? s.Actual / s.Customers : double.NaN))];
    }
}
