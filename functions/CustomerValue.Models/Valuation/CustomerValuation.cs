using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Models.Valuation;

/// <summary>
/// Per-customer value predictions from a repeat-purchase model (BG/NBD or Pareto/NBD) and the Gamma-Gamma spend model.
/// </summary>
public static class CustomerValuation
{
    /// <summary>
    /// Discounted expected repeat purchases: Σ_{m=1..N} [E(m L) − E((m−1) L)] / (1 + d)^m, with E(t) = E[Y(t) | x, t_x, T],
    /// L = time units per month, N the horizon in months and d the monthly discount rate. Multiplied by spend per purchase
    /// and margin it is the predicted CLV (lifetimes' customer_lifetime_value approach).
    /// </summary>
    public static double DiscountedExpectedPurchases(IRepeatPurchaseModel model, double x, double tx, double T, ValuationOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        double sum = 0, previous = 0, discount = 1;
        for (int month = 1; month <= options.HorizonMonths; month++)
        {
            double cumulative = model.ExpectedPurchases(month * options.TimeUnitsPerMonth, x, tx, T);
            discount /= 1 + options.MonthlyDiscountRate;
            sum += (cumulative - previous) * discount;
            previous = cumulative;
        }

        return sum;
    }

    /// <summary>
    /// Predicted CLV over the horizon: margin × spend per purchase × <see cref="DiscountedExpectedPurchases"/>, the spend
    /// usually being <see cref="GammaGammaParameters.ExpectedAverageSpend"/>.
    /// </summary>
    public static double PredictedClv(IRepeatPurchaseModel model, double spendPerPurchase, double x, double tx, double T, ValuationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.GrossMargin * spendPerPurchase * DiscountedExpectedPurchases(model, x, tx, T, options);
    }

    /// <summary>
    /// Expected time to the next purchase, in model time units: the horizon t* at which the conditional expected number
    /// of purchases E[Y(t*) | x, t_x, T] reaches one. E[Y(t)] increases with t, so t* is found by bisection (to 1e-6 of the
    /// cap). Returns null when E[Y(cap)] &lt; 1 — with drop-out the expectation may never reach one, and such a customer
    /// has no expected next order within the cap. (Unlike 1/E[λ], this accounts for P(alive).)
    /// </summary>
    public static double? TimeToNextPurchase(IRepeatPurchaseModel model, double x, double tx, double T, double cap)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!(cap > 0) || !(model.ExpectedPurchases(cap, x, tx, T) >= 1))
        {
            return null;
        }

        double lo = 0, hi = cap;
        while (hi - lo > 1e-6 * cap)
        {
            double mid = 0.5 * (lo + hi);
            if (model.ExpectedPurchases(mid, x, tx, T) >= 1)
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return hi;
    }

    /// <summary>The calendar date of the next expected order (see <see cref="TimeToNextPurchase"/>), or null.</summary>
    public static DateTime? ExpectedNextPurchaseDate(
        IRepeatPurchaseModel model, double x, double tx, double T, DateTime calibrationEnd, TimeUnit unit, double capMonths = 12)
    {
        var t = TimeToNextPurchase(model, x, tx, T, capMonths * TimeUnits.PerMonth(unit));
        return t is null ? null : TimeUnits.After(calibrationEnd, t.Value, unit);
    }

    /// <summary>Scores customers in input order (see the span overload).</summary>
    public static CustomerScore[] Score(
        IRepeatPurchaseModel purchases, GammaGammaParameters spend, IReadOnlyList<CustomerSummary> customers, ValuationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var rows = new SummaryRow[customers.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = customers[i].ToRow();
        }

        return Score(purchases, spend, rows, options);
    }

    /// <summary>
    /// Scores many customers at once: the purchase-model quantities are computed once per distinct (x, t_x, T) history
    /// and in parallel, the spend per customer. Rows must satisfy <see cref="SummaryValidator"/>'s rules.
    /// </summary>
    public static CustomerScore[] Score(
        IRepeatPurchaseModel purchases, GammaGammaParameters spend, ReadOnlySpan<SummaryRow> customers, ValuationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        ArgumentNullException.ThrowIfNull(spend);
        options ??= ValuationOptions.Default;
        options.Validate();
        SummaryValidator.ThrowIfInvalid(customers);

        var index = new Dictionary<(double X, double Tx, double T), int>();
        var rowOf = new int[customers.Length];
        var keys = new List<(double X, double Tx, double T)>();
        for (int i = 0; i < customers.Length; i++)
        {
            var c = customers[i];
            var key = (c.Frequency, c.Recency, c.T);
            ref int slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(index, key, out bool exists);
            if (!exists)
            {
                slot = keys.Count;
                keys.Add(key);
            }

            rowOf[i] = slot;
        }

        var unique = new (double Expected, double Alive, double Discounted, double Next)[keys.Count];
        double horizon = options.HorizonMonths * options.TimeUnitsPerMonth;
        double cap = options.NextPurchaseCapMonths * options.TimeUnitsPerMonth;
        Parallel.For(0, keys.Count, new ParallelOptions(), k =>
        {
            var (x, tx, t) = keys[k];
            double discounted = 0, previous = 0, discount = 1;
            for (int month = 1; month <= options.HorizonMonths; month++)
            {
                double cumulative = purchases.ExpectedPurchases(month * options.TimeUnitsPerMonth, x, tx, t);
                discount /= 1 + options.MonthlyDiscountRate;
                discounted += (cumulative - previous) * discount;
                previous = cumulative;
            }

            double expected = options.HorizonMonths > 0 ? previous : purchases.ExpectedPurchases(horizon, x, tx, t);
            double next = options.IncludeNextPurchase ? TimeToNextPurchase(purchases, x, tx, t, cap) ?? double.NaN : double.NaN;
            unique[k] = (expected, purchases.ProbabilityAlive(x, tx, t), discounted, next);
        });

        var scores = new CustomerScore[customers.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            var u = unique[rowOf[i]];
            double perPurchase = spend.ExpectedAverageSpend(customers[i].Frequency, customers[i].MonetaryValue);
            scores[i] = new CustomerScore(u.Expected, u.Alive, perPurchase, options.GrossMargin * perPurchase * u.Discounted, u.Next);
        }

        return scores;
    }
}
