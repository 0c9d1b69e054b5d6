using System.Globalization;
using System.Text.Json;
using CustomerValue.Domain.Profiles;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Validation;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Segmentation.Scoring;

/// <summary>
/// Values every customer with the probabilistic customer-base models (see functions/CustomerValue.Models/README.md).
/// <para>
/// The repeat-purchase model is chosen by a time-split holdout (<see cref="ModelComparison"/>): BG/NBD, Pareto/NBD and
/// MBG/NBD are fitted on the first two thirds of the observed days and judged by how well they predict what each
/// customer bought in the last third; the winner is refitted on all data and scores everyone. Gamma-Gamma gives the spend
/// per purchase; the value is a 12-month discounted CLV (1 % a month) with an 80 % interval from parameter uncertainty
/// and the probability of belonging to the top 20 %. The next order is expected at the last order plus the customer's
/// expected time between purchases (<see cref="PurchaseTiming"/>), so it can lie in the past: overdue.
/// </para>
/// <para>
/// Transactions are each order's net value (paid − refunded) on its day and standalone returns as negative amounts,
/// so the models see spend net of returns, while every purchase occasion still counts as one. Below the
/// <see cref="ColdStart"/> minimums the run is flagged and BG/NBD values everyone (with its thin-data estimate under
/// 20 repeat buyers); with no repeat buyer at all, or data the models reject, the value is net spend and the run records why.
/// </para>
/// </summary>
public static class ClvScorer
{
    /// <summary>The method name when BG/NBD and Gamma-Gamma were used.</summary>
    public const string Method = "bgnbd+gammagamma";

    /// <summary>Parameter draws behind each customer's CLV interval.</summary>
    public const int IntervalDraws = 100;

    /// <summary>
    /// A holdout error this much larger (relative) than the previous run's with the same model raises the run's alarm:
    /// the customer base changed, or the data did.
    /// </summary>
    public const double AlarmErrorIncrease = 0.5;

    /// <summary>Options of the 12-month valuation (days). The next order comes from <see cref="PurchaseTiming"/>, not from the valuation.</summary>
    public static ValuationOptions Valuation { get; } = new() { HorizonMonths = 12, MonthlyDiscountRate = 0.01, IncludeNextPurchase = false };

    /// <summary>The name a model goes by in run records and methods.</summary>
    public static string NameOf(RepeatPurchaseModelKind kind) => kind switch
    {
        RepeatPurchaseModelKind.ParetoNbd => "paretonbd",
        RepeatPurchaseModelKind.MbgNbd => "mbgnbd",
        _ => "bgnbd",
    };

    /// <summary>
    /// Scores customers as of <paramref name="asOf"/> from their transactions (<see cref="TransactionsOf"/>).
    /// <paramref name="positions"/> numbers the customers to value (transactions of anyone else are fitted on but not
    /// valued); the predictions come back at those positions, null where the models cannot value the customer (they keep
    /// their net-spend score). <paramref name="previous"/> is the last run's model step, for parameter drift and the error alarm.
    /// </summary>
    public static (ModelPrediction?[] Predictions, ModelRunSummary Run) Score(
        IReadOnlyList<Transaction> transactions, IReadOnlyDictionary<string, int> positions, DateTimeOffset asOf, ModelRunSummary? previous = null)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(positions);
        var predictions = new ModelPrediction?[positions.Count];
        var calibrationEnd = asOf.UtcDateTime.Date;
        var summary = TransactionSummarizer.Summarize(transactions, calibrationEnd, TimeUnit.Days, histories: false);
        var customers = summary.Summaries;
        var repeatBuyers = customers.Count(c => c.Frequency > 0);
        var shortfall = ColdStart.Shortfall(customers);
        if (repeatBuyers == 0)
        {
            return (predictions, new ModelRunSummary(NetSpendScorer.Method, customers.Count, 0, [], "No customer has bought twice yet: values are net spend.") { InsufficientData = true });
        }

        var notes = new List<string>();
        ModelChoiceSummary? comparison = null;
        var kind = RepeatPurchaseModelKind.BgNbd;
        if (shortfall is null)
        {
            try
            {
                var report = ModelComparison.Compare(transactions, TimeUnit.Days);
                comparison = ModelChoiceSummary.From(report);
                kind = report.Winner ?? kind;
            }
            catch (ArgumentException ex)
            {
                notes.Add("No holdout comparison: " + ex.Message);
            }
        }
        else
        {
            notes.Add($"Insufficient data ({shortfall}): BG/NBD without a holdout comparison; treat the values as rough.");
        }

        ModelFit fit;
        GammaGammaFit spend;
        try
        {
            fit = ModelComparison.Fit(kind, customers);
            spend = GammaGammaModel.Fit([.. customers.Where(c => c.Frequency > 0 && c.MonetaryValue > 0)]);
        }
        catch (ModelInputException ex)
        {
            return (predictions, new ModelRunSummary(NetSpendScorer.Method, customers.Count, repeatBuyers, [], "The models rejected the data: " + ex.Message)
            {
                InsufficientData = shortfall is not null,
                Comparison = comparison,
            });
        }

        var purchases = (IRepeatPurchaseModel)fit;
        var spendParameters = spend.Parameters;
        var spendUsable = spendParameters.Q > 1 && double.IsFinite(spendParameters.MeanTransactionValue);
        if (!spendUsable)
        {
            // q ≤ 1 means the fitted spend distribution has no finite mean: unusable for CLV. Use the documented
            // thin-data estimate (each customer's mean spend shrunk towards the population mean) instead.
            var buyers = customers.Where(c => c.Frequency > 0 && c.MonetaryValue > 0).ToList();
            spendParameters = GammaGammaModel.ThinDataEstimate(buyers.Count == 0 ? 0 : buyers.Average(c => c.MonetaryValue));
            notes.Add($"Gamma-Gamma q = {spend.Parameters.Q:G4} ≤ 1 (no finite mean spend): spend uses the thin-data estimate.");
        }

        var rows = new SummaryRow[customers.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = customers[i].ToRow();
        }

        var scores = CustomerValuation.Score(purchases, spendParameters, rows, Valuation);
        var intervals = spendUsable && !fit.IsThinDataEstimate && !spend.IsThinDataEstimate && fit.Covariance is not null
            ? ClvUncertainty.Compute(fit, spend, rows, Valuation, IntervalDraws)
            : null;
        var shopGap = PurchaseTiming.ShopMedianGap(rows);
        var thin = fit.IsThinDataEstimate || spend.IsThinDataEstimate || !spendUsable || shortfall is not null;
        var name = NameOf(kind) + "+gammagamma";
        var method = thin ? name + " (thin data)" : name;
        for (var i = 0; i < customers.Count; i++)
        {
            if (positions.TryGetValue(customers[i].Id, out var at))
            {
                predictions[at] = Predict(customers[i], scores[i], purchases, shopGap, calibrationEnd, method, intervals?[i], shortfall is not null);
            }
        }

        if (fit.IsThinDataEstimate || spend.IsThinDataEstimate)
        {
            notes.Insert(0, $"{fit.StatusMessage} {spend.StatusMessage}".Trim());
        }

        var chosen = Describe(NameOf(kind), fit);
        var (drift, alarm) = Compare(previous, chosen, comparison);
        var run = new ModelRunSummary(method, customers.Count, repeatBuyers, [chosen, Describe("gammagamma", spend, Named(spendParameters))],
            notes.Count == 0 ? null : string.Join(" ", notes))
        {
            ShopMedianGap = shopGap,
            InsufficientData = shortfall is not null,
            Comparison = comparison,
            ParameterDrift = drift,
            Alarm = alarm,
        };
        return (predictions, run);
    }

    /// <summary>
    /// A profile's transactions as the models read them: per day, the net value of its sales and, apart, its returns
    /// (negative), from the profile's <see cref="OrderTotals.Days"/>. The summarizer nets each day, so this gives it the
    /// same purchase occasions and spend as every order one by one would, without reading a single order document.
    /// </summary>
    public static IEnumerable<Transaction> TransactionsOf(CustomerProfile profile)
    {
        if (profile is null)
        {
            yield break;
        }

        foreach (var day in profile.OrderTotals.Days)
        {
            var date = day.Date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            if (day.Sales > 0)
            {
                yield return new Transaction(profile.Id, date, day.Positive);
            }

            if (day.Negative < 0m)
            {
                yield return new Transaction(profile.Id, date, day.Negative);
            }
        }
    }

    /// <summary>
    /// One customer's model score on top of its net-spend <paramref name="baseline"/>; null for a numerically degenerate
    /// prediction (the customer keeps the baseline). Shared by the recompute and the real-time rescore, which passes no
    /// interval (intervals need the run's parameter draws).
    /// </summary>
    public static CustomerValueScore? Valued(CustomerValueScore baseline, CustomerSummary c, CustomerScore score, IRepeatPurchaseModel purchases,
        double shopGap, DateTime calibrationEnd, string method, ClvInterval? interval, bool insufficientData)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        return Predict(c, score, purchases, shopGap, calibrationEnd, method, interval, insufficientData)?.ApplyTo(baseline);
    }

    /// <summary>
    /// What the models add to one customer's score (see <see cref="Valued"/>); null for a numerically degenerate prediction.
    /// </summary>
    public static ModelPrediction? Predict(CustomerSummary c, CustomerScore score, IRepeatPurchaseModel purchases,
        double shopGap, DateTime calibrationEnd, string method, ClvInterval? interval, bool insufficientData)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (!double.IsFinite(score.PredictedClv) || !double.IsFinite(score.ProbabilityAlive) || !double.IsFinite(score.ExpectedPurchases)
            || Math.Abs(score.PredictedClv) > 1e12)
        {
            return null;
        }

        var predicted = Money(score.PredictedClv);
        var next = PurchaseTiming.ExpectedNextPurchaseFromNow(purchases, c.Frequency, c.Recency, c.T, shopGap);
        return new ModelPrediction(
            method,
            predicted,
            interval is { } low && double.IsFinite(low.Lower) ? Money(low.Lower) : null,
            interval is { } high && double.IsFinite(high.Upper) ? Money(high.Upper) : null,
            interval is { } top && double.IsFinite(top.ProbabilityTop20) ? Math.Round(top.ProbabilityTop20, 4) : null,
            Math.Round(score.ProbabilityAlive, 4),
            Math.Round(score.ExpectedPurchases, 4),
            double.IsFinite(next) && Math.Abs(next) < 36_500 ? new DateTimeOffset(calibrationEnd.AddDays(Math.Round(next)), TimeSpan.Zero) : null,
            insufficientData);
    }

    /// <summary>
    /// Parameter drift (relative change per parameter) against the previous run when it used the same model, and an
    /// alarm when the chosen model's holdout error grew by more than <see cref="AlarmErrorIncrease"/>.
    /// </summary>
    private static (IReadOnlyDictionary<string, double>? Drift, string? Alarm) Compare(ModelRunSummary? previous, ModelFitSummary chosen, ModelChoiceSummary? comparison)
    {
        if (previous?.Fits.FirstOrDefault(f => f.Model == chosen.Model) is not { } before)
        {
            return (null, null);
        }

        var drift = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in chosen.Parameters)
        {
            if (before.Parameters.TryGetValue(name, out var old) && old != 0 && double.IsFinite(old) && double.IsFinite(value))
            {
                drift[name] = Math.Round((value - old) / Math.Abs(old), 4);
            }
        }

        string? alarm = null;
        var nowError = comparison?.Models.FirstOrDefault(m => m.Model == chosen.Model)?.MeanAbsoluteError;
        var oldError = previous.Comparison?.Models.FirstOrDefault(m => m.Model == chosen.Model)?.MeanAbsoluteError;
        if (nowError is { } now && oldError is { } then && then > 0 && now > then * (1 + AlarmErrorIncrease))
        {
            alarm = string.Format(CultureInfo.InvariantCulture,
                "The {0} holdout error rose from {1:0.####} to {2:0.####} purchases per customer since the previous run: check the data and the model choice.",
                chosen.Model, then, now);
        }

        return (drift, alarm);
    }

    private static decimal Money(double value) => decimal.Round((decimal)Math.Clamp(value, 0, 1e12), 2);

    private static ModelFitSummary Describe(string model, ModelFit fit) =>
        Describe(model, fit, fit.Summary.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal));

    private static ModelFitSummary Describe(string model, ModelFit fit, IReadOnlyDictionary<string, double> parameters) =>
        new(model, parameters, fit.Status.ToString(), fit.Converged, fit.LogLikelihood, fit.Iterations, fit.Observations, fit.FitSeconds)
        {
            StandardErrors = fit.Summary.Where(p => double.IsFinite(p.StandardError)).ToDictionary(p => p.Name, p => p.StandardError, StringComparer.Ordinal) is { Count: > 0 } errors ? errors : null,
            Limit = fit.Limit == ModelLimit.None ? null : JsonNamingPolicy.CamelCase.ConvertName(fit.Limit.ToString()),
            HessianPositiveDefinite = fit.HessianPositiveDefinite,
        };

    private static Dictionary<string, double> Named(GammaGammaParameters p) => new() { ["p"] = p.P, ["q"] = p.Q, ["v"] = p.V };
}
