using System.Diagnostics;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Models.BgNbd;

/// <summary>Fits the BG/NBD model (Fader, Hardie &amp; Lee 2005) by maximum likelihood.</summary>
public static class BgNbdModel
{
    /// <summary>Fits r, α, a, b to customer summaries (any one time unit; α comes out in that unit).</summary>
    /// <exception cref="ModelInputException">A summary breaks an input rule (the message lists rows).</exception>
    public static BgNbdFit Fit(IReadOnlyList<CustomerSummary> data, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var clock = Stopwatch.StartNew();
        SummaryValidator.ThrowIfInvalid(data);
        return Fit(RfmData.FromSummaries(data), options ?? FitOptions.Default, clock);
    }

    /// <summary>Fits r, α, a, b to id-less summary rows (e.g. simulated ones).</summary>
    /// <exception cref="ModelInputException">A row breaks an input rule (the message lists rows).</exception>
    public static BgNbdFit Fit(ReadOnlySpan<SummaryRow> data, FitOptions? options = null)
    {
        var clock = Stopwatch.StartNew();
        SummaryValidator.ThrowIfInvalid(data);
        return Fit(RfmData.FromRows(data), options ?? FitOptions.Default, clock);
    }

    /// <summary>
    /// The thin-data estimate used when fewer than <see cref="FitOptions.MinimumRepeatBuyers"/> customers repeated:
    /// r = 1 and α = Σ T / (Σ x + 1), i.e. an exponential-gamma prior whose mean rate r/α is the pooled repeat-purchase
    /// rate (one pseudo-purchase keeps it finite when nobody repeated), and a weak drop-out prior a = 2, b = 6
    /// (mean drop-out probability 0.25 per repeat purchase, about the CDNOW estimate, worth 8 pseudo-observations).
    /// </summary>
    public static BgNbdParameters ThinDataEstimate(double totalRepeatPurchases, double totalAge) =>
        new(1.0, Math.Max(totalAge, 1e-9) / (totalRepeatPurchases + 1), 2.0, 6.0);

    private static double[] Theta(BgNbdParameters p) => [p.R, p.Alpha, p.A, p.B];

    private static BgNbdFit Fit(RfmData data, FitOptions options, Stopwatch clock)
    {
        var result = RepeatPurchaseFitting.Fit(
            "BG/NBD", "r, alpha, a, b", "r = 1, alpha = sum T / (sum x + 1), a = 2, b = 6", data, new BgNbdLikelihood(data), options, clock,
            (sumX, sumT) => Theta(ThinDataEstimate(sumX, sumT)),
            (sumX, sumT) => [1.0, Math.Max(sumT, 1e-9) / (sumX + 1), 1.0, 1.0]);
        return Boundary.IsSuspect(result, options, result.Theta[2] + result.Theta[3])
            ? ConstantDropoutFit.Fit("BG/NBD", data, result, options, clock, false, (r, limit) => new BgNbdFit(r, data.Customers, data.Count, options.Penalizer, limit))
            : new BgNbdFit(result, data.Customers, data.Count, options.Penalizer);
    }
}
