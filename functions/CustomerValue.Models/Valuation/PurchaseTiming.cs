using CustomerValue.Models.BgNbd;
using CustomerValue.Models.MbgNbd;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Models.Valuation;

/// <summary>
/// When a customer's next order is due, anchored at the last order as marketers read it: the last order plus the
/// customer's expected time between purchases.
/// </summary>
/// <remarks>
/// In BG/NBD, MBG/NBD and Pareto/NBD an active customer buys at rate λ, and given the history the posterior of λ is
/// Gamma(r + x, α + T) (FHL 2005 §5; note 009 §4: the Gamma–Poisson update with x purchases in the time T the customer has
/// been observed). The time between purchases is exponential with mean 1/λ, so its posterior mean is
/// E[1/λ | x, T] = (α + T) / (r + x − 1), finite when r + x &gt; 1. For one-time buyers (and whenever r + x ≤ 1) the
/// posterior mean is infinite or dominated by the prior, so the shop's median gap between consecutive orders of repeat
/// buyers, t_x / x, is used instead. The expected next order is then last order + gap: it can lie before the
/// calibration end (overdue), which is the signal a "due soon" segment needs; whether the customer is still active is
/// P(alive)'s business, not this date's.
/// </remarks>
public static class PurchaseTiming
{
    /// <summary>E[1/λ | x, T] = (α+T)/(r+x−1), or null when r + x ≤ 1 (see the remarks).</summary>
    public static double? MeanTimeBetweenPurchases(double r, double alpha, double x, double T) =>
        r + x > 1 ? (alpha + T) / (r + x - 1) : null;

    /// <summary>
    /// The customer's expected time between purchases in model time units: the posterior mean for customers with
    /// repeat purchases and r + x &gt; 1, otherwise <paramref name="shopMedianGap"/>.
    /// </summary>
    public static double ExpectedTimeBetweenPurchases(IRepeatPurchaseModel model, double x, double T, double shopMedianGap)
    {
        ArgumentNullException.ThrowIfNull(model);
        return x > 0 && MeanTimeBetweenPurchases(model.R, model.Alpha, x, T) is { } mean ? mean : shopMedianGap;
    }

    /// <summary>
    /// Expected next order in model time units after the calibration end (negative: overdue):
    /// t_x + gap − T, i.e. the last order plus <see cref="ExpectedTimeBetweenPurchases"/>.
    /// </summary>
    public static double ExpectedNextPurchaseFromNow(IRepeatPurchaseModel model, double x, double tx, double T, double shopMedianGap) =>
        tx + ExpectedTimeBetweenPurchases(model, x, T, shopMedianGap) - T;

    /// <summary>The calendar date of <see cref="ExpectedNextPurchaseFromNow"/>: the last order's date plus the expected gap.</summary>
    public static DateTime ExpectedNextPurchaseDate(
        IRepeatPurchaseModel model, double x, double tx, double T, double shopMedianGap, DateTime calibrationEnd, TimeUnit unit) =>
        TimeUnits.After(calibrationEnd, ExpectedNextPurchaseFromNow(model, x, tx, T, shopMedianGap), unit);

    /// <summary>Median of t_x / x over customers with repeat purchases (NaN when nobody repeated).</summary>
    public static double ShopMedianGap(ReadOnlySpan<SummaryRow> customers)
    {
        var gaps = new List<double>();
        foreach (var c in customers)
        {
            if (c.Frequency > 0 && c.Recency > 0)
            {
                gaps.Add(c.Recency / c.Frequency);
            }
        }

        if (gaps.Count == 0)
        {
            return double.NaN;
        }

        gaps.Sort();
        int mid = gaps.Count / 2;
        return gaps.Count % 2 == 1 ? gaps[mid] : 0.5 * (gaps[mid - 1] + gaps[mid]);
    }
}
