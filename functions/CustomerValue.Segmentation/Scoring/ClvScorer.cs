using CustomerValue.Domain.Profiles;
using CustomerValue.Models.BgNbd;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.Summaries;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Segmentation.Scoring;

/// <summary>
/// Values every customer with the probabilistic customer-base models (see functions/CustomerValue.Models/README.md):
/// BG/NBD for the number of future purchases and P(alive), Gamma-Gamma for the spend per purchase, both fitted by
/// maximum likelihood over all profiles in days, and a 12-month discounted CLV (1 % a month).
/// <para>
/// Transactions are each order's net value (paid − refunded) on its day and standalone returns as negative amounts,
/// so the models see spend net of returns: a customer who returns a lot is predicted to be worth less. With too few
/// repeat buyers the models fall back to their documented thin-data estimates (flagged in the method); with no
/// repeat buyer at all, or data the models reject, the value is net spend and the run records why.
/// </para>
/// </summary>
public static class ClvScorer
{
    /// <summary>The method name when both models were used.</summary>
    public const string Method = "bgnbd+gammagamma";

    /// <summary>Options of the 12-month valuation (days; next order searched up to 12 months ahead).</summary>
    public static ValuationOptions Valuation { get; } = new() { HorizonMonths = 12, MonthlyDiscountRate = 0.01, IncludeNextPurchase = true, NextPurchaseCapMonths = 12 };

    /// <summary>
    /// Scores customers as of <paramref name="asOf"/> from their transactions (<see cref="TransactionsOf"/>), starting from
    /// their net-spend <paramref name="baseline"/> scores, which customers the models cannot value keep.
    /// </summary>
    public static (IReadOnlyDictionary<string, CustomerValueScore> Scores, ModelRunSummary Run) Score(
        IEnumerable<Transaction> transactions, IReadOnlyDictionary<string, CustomerValueScore> baseline, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        ArgumentNullException.ThrowIfNull(baseline);
        var calibrationEnd = asOf.UtcDateTime.Date;
        var summary = TransactionSummarizer.Summarize(transactions, calibrationEnd, TimeUnit.Days);
        var customers = summary.Summaries;
        var repeatBuyers = customers.Count(c => c.Frequency > 0);
        if (repeatBuyers == 0)
        {
            return (baseline, new ModelRunSummary(NetSpendScorer.Method, customers.Count, 0, [], "No customer has bought twice yet: values are net spend."));
        }

        BgNbdFit purchases;
        GammaGammaFit spend;
        try
        {
            purchases = BgNbdModel.Fit(customers);
            spend = GammaGammaModel.Fit([.. customers.Where(c => c.Frequency > 0 && c.MonetaryValue > 0)]);
        }
        catch (ModelInputException ex)
        {
            return (baseline, new ModelRunSummary(NetSpendScorer.Method, customers.Count, repeatBuyers, [], "The models rejected the data: " + ex.Message));
        }

        var spendParameters = spend.Parameters;
        var notes = new List<string>();
        if (!(spendParameters.Q > 1) || !double.IsFinite(spendParameters.MeanTransactionValue))
        {
            // q ≤ 1 means the fitted spend distribution has no finite mean: unusable for CLV. Use the documented
            // thin-data estimate (each customer's mean spend shrunk towards the population mean) instead.
            var buyers = customers.Where(c => c.Frequency > 0 && c.MonetaryValue > 0).ToList();
            spendParameters = GammaGammaModel.ThinDataEstimate(buyers.Count == 0 ? 0 : buyers.Average(c => c.MonetaryValue));
            notes.Add($"Gamma-Gamma q = {spend.Parameters.Q:G4} ≤ 1 (no finite mean spend): spend uses the thin-data estimate.");
        }

        var scores = CustomerValuation.Score(purchases, spendParameters, customers, Valuation);
        var thin = purchases.IsThinDataEstimate || spend.IsThinDataEstimate || notes.Count > 0;
        var method = thin ? Method + " (thin data)" : Method;
        var result = baseline.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        for (var i = 0; i < customers.Count; i++)
        {
            if (!baseline.ContainsKey(customers[i].Id))
            {
                continue;
            }

            var score = scores[i];
            if (!double.IsFinite(score.PredictedClv) || !double.IsFinite(score.ProbabilityAlive) || !double.IsFinite(score.ExpectedPurchases)
                || Math.Abs(score.PredictedClv) > 1e12)
            {
                continue; // a numerically degenerate prediction: the customer keeps the net-spend value
            }

            var predicted = decimal.Round((decimal)Math.Max(0, score.PredictedClv), 2);
            result[customers[i].Id] = baseline[customers[i].Id] with
            {
                Method = method,
                PredictedClv = predicted,
                PAlive = Math.Round(score.ProbabilityAlive, 4),
                ExpectedPurchases = Math.Round(score.ExpectedPurchases, 4),
                ExpectedNextOrderAt = double.IsNaN(score.TimeToNextPurchase) ? null : new DateTimeOffset(calibrationEnd.AddDays(Math.Round(score.TimeToNextPurchase)), TimeSpan.Zero),
                RankingValue = predicted,
            };
        }

        if (purchases.IsThinDataEstimate || spend.IsThinDataEstimate)
        {
            notes.Insert(0, $"{purchases.StatusMessage} {spend.StatusMessage}".Trim());
        }

        var run = new ModelRunSummary(method, customers.Count, repeatBuyers, [Describe("bgnbd", purchases, Named(purchases.Parameters)), Describe("gammagamma", spend, Named(spendParameters))],
            notes.Count == 0 ? null : string.Join(" ", notes));
        return (result, run);
    }

    /// <summary>A profile's transactions as the models read them: net order values, returns negative.</summary>
    public static IEnumerable<Transaction> TransactionsOf(CustomerProfile profile) =>
        profile is null ? [] : profile.OrderHistory.Where(o => !o.Cancelled).Select(o => o.Kind == OrderKind.Return
            ? new Transaction(profile.Id, o.PlacedAt.UtcDateTime, -o.Refunded)
            : new Transaction(profile.Id, o.PlacedAt.UtcDateTime, o.Gross - o.Refunded));

    private static ModelFitSummary Describe(string model, ModelFit fit, IReadOnlyDictionary<string, double> parameters) =>
        new(model, parameters, fit.Status.ToString(), fit.Converged, fit.LogLikelihood, fit.Iterations, fit.Observations, fit.FitSeconds);

    private static Dictionary<string, double> Named(BgNbdParameters p) => new() { ["r"] = p.R, ["alpha"] = p.Alpha, ["a"] = p.A, ["b"] = p.B };

    private static Dictionary<string, double> Named(GammaGammaParameters p) => new() { ["p"] = p.P, ["q"] = p.Q, ["v"] = p.V };
}
