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
    /// Scores many customers at once: <see cref="ScoreHistories"/>, then the spend per customer. Rows must satisfy
    /// <see cref="SummaryValidator"/>'s rules.
    /// </summary>
    public static CustomerScore[] Score(
        IRepeatPurchaseModel purchases, GammaGammaParameters spend, ReadOnlySpan<SummaryRow> customers, ValuationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        ArgumentNullException.ThrowIfNull(spend);
        options ??= ValuationOptions.Default;
        var scored = ScoreHistories(purchases, customers, options);
        var scores = new CustomerScore[customers.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            var u = scored.Histories[scored.HistoryOf[i]];
            double perPurchase = spend.ExpectedAverageSpend(customers[i].Frequency, customers[i].MonetaryValue);
            scores[i] = new CustomerScore(u.ExpectedPurchases, u.ProbabilityAlive, perPurchase, options.GrossMargin * perPurchase * u.DiscountedPurchases, u.TimeToNextPurchase);
        }

        return scores;
    }

    /// <summary>
    /// Scores each distinct history (x, t_x, T) of <paramref name="customers"/> once. E[Y(t) | x, t_x, T] factors as
    /// g(t; x, T) · P(alive | x, t_x, T) (<see cref="IRepeatPurchaseModel.ExpectedPurchasesIfAlive"/>), so the costly
    /// part, g at each month of the horizon, is computed once per distinct (x, T) and in parallel; P(alive) and the next
    /// purchase once per distinct (x, t_x, T). A simulated million customers has about 176,000 distinct histories but
    /// only a few thousand distinct (x, T). Rows must satisfy <see cref="SummaryValidator"/>'s rules.
    /// </summary>
    public static HistoryScores ScoreHistories(IRepeatPurchaseModel purchases, ReadOnlySpan<SummaryRow> customers, ValuationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        options ??= ValuationOptions.Default;
        options.Validate();
        SummaryValidator.ThrowIfInvalid(customers);

        var (rowOf, keys, ageOf, ages) = DistinctHistories(customers);
        var curves = GrowthCurves(purchases, ages, options);
        var unique = new HistoryScore[keys.Length];
        Parallel.For(0, keys.Length, k =>
        {
            var (x, tx, t) = keys[k];
            var curve = curves[ageOf[k]];
            double alive = purchases.ProbabilityAlive(x, tx, t);
            double next = options.IncludeNextPurchase ? NextPurchase(purchases, curve.Monthly, alive, x, t, options) : double.NaN;
            unique[k] = new HistoryScore(x, tx, t, curve.Expected * alive, alive, curve.Discounted * alive, next);
        });

        return new HistoryScores(rowOf, unique);
    }

    /// <summary>
    /// g(t; x, T) at the end of each month up to max(horizon, next-purchase cap), the horizon's expected purchases and
    /// the discounted sum Σ [g(m L) − g((m−1) L)] / (1 + d)^m, all per unit of P(alive).
    /// </summary>
    private static GrowthCurve[] GrowthCurves(IRepeatPurchaseModel purchases, (double X, double T)[] ages, ValuationOptions options)
    {
        int months = Math.Max(options.HorizonMonths, options.IncludeNextPurchase ? (int)Math.Ceiling(options.NextPurchaseCapMonths) : 0);
        double horizon = options.HorizonMonths * options.TimeUnitsPerMonth;
        var curves = new GrowthCurve[ages.Length];
        Parallel.For(0, ages.Length, k =>
        {
            var (x, t) = ages[k];
            var monthly = new double[months + 1];
            double discounted = 0, discount = 1;
            for (int month = 1; month <= months; month++)
            {
                monthly[month] = purchases.ExpectedPurchasesIfAlive(month * options.TimeUnitsPerMonth, x, t);
                if (month <= options.HorizonMonths)
                {
                    discount /= 1 + options.MonthlyDiscountRate;
                    discounted += (monthly[month] - monthly[month - 1]) * discount;
                }
            }

            double expected = options.PurchaseHorizon is { } purchaseHorizon
                ? (purchaseHorizon > 0 ? purchases.ExpectedPurchasesIfAlive(purchaseHorizon, x, t) : 0)
                : options.HorizonMonths > 0 ? monthly[options.HorizonMonths] : purchases.ExpectedPurchasesIfAlive(horizon, x, t);
            curves[k] = new GrowthCurve(monthly, expected, discounted);
        });
        return curves;
    }

    /// <summary>
    /// <see cref="TimeToNextPurchase"/> from a growth curve: the month in which alive · g first reaches one brackets
    /// the answer (the monthly values are already known), and bisection inside that month stops at a ten-thousandth of
    /// a month (about 4 minutes), none at all for the customers who do not reach one expected purchase within the cap.
    /// The bisection's answer is the first point of its grid where alive · g ≥ 1; g increases with time, so a few
    /// regula falsi (Illinois) steps that narrow the crossing to a millionth of a month decide every grid point away
    /// from it without evaluating g there: about 6 evaluations of g instead of 14, and the same answer to the bit
    /// (<see cref="NextPurchaseByBisection"/>).
    /// </summary>
    internal static double NextPurchase(IRepeatPurchaseModel purchases, double[] monthly, double alive, double x, double t, ValuationOptions options)
    {
        if (!TryBracket(purchases, monthly, alive, x, t, options, out double lo, out double hi, out double reachedAtLo, out double reachedAtHi))
        {
            return double.NaN;
        }

        double month = options.TimeUnitsPerMonth;
        bool Reached(double at) => purchases.ExpectedPurchasesIfAlive(at, x, t) * alive >= 1;

        // Narrow the crossing to (a, b): alive · g(a) < 1 ≤ alive · g(b).
        double a = lo, b = hi, fa = reachedAtLo - 1, fb = reachedAtHi - 1;
        int kept = 0;
        for (int step = 0; step < 8 && b - a > 1e-6 * month && double.IsFinite(fa) && double.IsFinite(fb); step++)
        {
            double c = ((a * fb) - (b * fa)) / (fb - fa);
            if (!(c > a && c < b))
            {
                c = 0.5 * (a + b);
            }

            double fc = purchases.ExpectedPurchasesIfAlive(c, x, t) * alive;
            if (fc >= 1)
            {
                (b, fb) = (c, fc - 1);
                fa = kept == 1 ? 0.5 * fa : fa;
                kept = 1;
            }
            else
            {
                (a, fa) = (c, fc - 1);
                fb = kept == -1 ? 0.5 * fb : fb;
                kept = -1;
            }
        }

        // The bisection, deciding by the bracket where it can (a margin of 1e-9 month keeps clear of rounding).
        double margin = 1e-9 * month;
        while (hi - lo > 1e-4 * month)
        {
            double mid = 0.5 * (lo + hi);
            bool reached = mid >= b + margin || (mid > a - margin && Reached(mid));
            if (reached)
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

    /// <summary>The plain bisection <see cref="NextPurchase"/> reproduces, evaluating g at every step.</summary>
    internal static double NextPurchaseByBisection(IRepeatPurchaseModel purchases, double[] monthly, double alive, double x, double t, ValuationOptions options)
    {
        if (!TryBracket(purchases, monthly, alive, x, t, options, out double lo, out double hi, out _, out _))
        {
            return double.NaN;
        }

        while (hi - lo > 1e-4 * options.TimeUnitsPerMonth)
        {
            double mid = 0.5 * (lo + hi);
            if (purchases.ExpectedPurchasesIfAlive(mid, x, t) * alive >= 1)
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

    /// <summary>
    /// The month (or the last part of a month before the cap) in which alive · g first reaches one, with alive · g at
    /// its ends; false if never within the cap.
    /// </summary>
    private static bool TryBracket(
        IRepeatPurchaseModel purchases, double[] monthly, double alive, double x, double t, ValuationOptions options,
        out double lo, out double hi, out double atLo, out double atHi)
    {
        double cap = options.NextPurchaseCapMonths * options.TimeUnitsPerMonth;
        lo = hi = atLo = atHi = double.NaN;
        if (!(cap > 0) || !(alive > 0))
        {
            return false;
        }

        double month = options.TimeUnitsPerMonth;
        int full = (int)Math.Floor(options.NextPurchaseCapMonths);
        int first = 1;
        while (first <= full && !(monthly[first] * alive >= 1))
        {
            first++;
        }

        lo = (first - 1) * month;
        atLo = monthly[first - 1] * alive;
        if (first <= full)
        {
            hi = first * month;
            atHi = monthly[first] * alive;
            return true;
        }

        // Not reached within the whole months of the cap, nor (when the cap has a fraction of a month) at the cap.
        hi = cap;
        atHi = cap > lo ? purchases.ExpectedPurchasesIfAlive(cap, x, t) * alive : double.NaN;
        return atHi >= 1;
    }

    private sealed record GrowthCurve(double[] Monthly, double Expected, double Discounted);

    /// <summary>
    /// Each customer's history (x, t_x, T) as an index into the distinct histories (in order of first appearance), and
    /// each history's (x, T) as an index into the distinct ages. The columns are coded as small integers first
    /// (<see cref="ColumnCodes"/>) so that a history is one integer key: hashing a million of those is several
    /// times faster than hashing tuples of doubles.
    /// </summary>
    private static (int[] HistoryOf, (double X, double Tx, double T)[] Histories, int[] AgeOf, (double X, double T)[] Ages) DistinctHistories(
        ReadOnlySpan<SummaryRow> customers)
    {
        var (xCode, txCode, tCode, xBits, txBits, tBits) = ColumnCodes(customers);
        var historyIndex = new Dictionary<long, int>();
        var wideHistoryIndex = new Dictionary<(long Age, int Recency), int>();
        var ageIndex = new Dictionary<long, int>();
        var histories = new List<(double, double, double)>();
        var ageOf = new List<int>();
        var ages = new List<(double, double)>();
        var historyOf = new int[customers.Length];
        int shiftX = tBits;
        bool packed = xBits + tBits + txBits <= 62; // else (x, T) and t_x side by side: any size fits
        for (int i = 0; i < historyOf.Length; i++)
        {
            long age = ((long)xCode[i] << shiftX) | (long)tCode[i];
            ref int history = ref packed
                ? ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(historyIndex, (age << txBits) | (long)txCode[i], out bool known)
                : ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(wideHistoryIndex, (age, txCode[i]), out known);
            if (!known)
            {
                history = histories.Count;
                histories.Add((customers[i].Frequency, customers[i].Recency, customers[i].T));
                ref int a = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(ageIndex, age, out bool knownAge);
                if (!knownAge)
                {
                    a = ages.Count;
                    ages.Add((customers[i].Frequency, customers[i].T));
                }

                ageOf.Add(a);
            }

            historyOf[i] = history;
        }

        return (historyOf, [.. histories], [.. ageOf], [.. ages]);
    }

    /// <summary>
    /// Each column as small non-negative integers, equal exactly where the values are equal, with their bit widths: the
    /// values themselves scaled to whole numbers when every time is on a grid of 1 or 1/100 (whole days or weeks, or
    /// two decimals: one pass, no hashing), else the ranks among each column's distinct values.
    /// </summary>
    private static (int[] X, int[] Tx, int[] T, int XBits, int TxBits, int TBits) ColumnCodes(ReadOnlySpan<SummaryRow> customers)
    {
        var x = new int[customers.Length];
        var tx = new int[customers.Length];
        var t = new int[customers.Length];
        if (Fitting.RfmData.FixedPointScale(customers, out double maxX, out double maxT, out double maxTx) is { } scale)
        {
            for (int i = 0; i < customers.Length; i++)
            {
                x[i] = (int)customers[i].Frequency;
                tx[i] = (int)Math.Round(customers[i].Recency * scale);
                t[i] = (int)Math.Round(customers[i].T * scale);
            }

            return (x, tx, t, BitLength((int)maxX), BitLength((int)maxTx), BitLength((int)maxT));
        }

        var xs = new double[customers.Length];
        var txs = new double[customers.Length];
        var ts = new double[customers.Length];
        for (int i = 0; i < customers.Length; i++)
        {
            xs[i] = customers[i].Frequency;
            txs[i] = customers[i].Recency;
            ts[i] = customers[i].T;
        }

        Fitting.RankedColumn? rx = null, rtx = null, rt = null;
        Parallel.Invoke(() => rx = Fitting.RankedColumn.Of(xs), () => rtx = Fitting.RankedColumn.Of(txs), () => rt = Fitting.RankedColumn.Of(ts));
        return (rx!.Rank, rtx!.Rank, rt!.Rank, rx.Bits, rtx.Bits, rt.Bits);
    }

    private static int BitLength(int v) => 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)v);
}
