using System.Diagnostics;
using CustomerValue.Models.BgNbd;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Models.MbgNbd;

/// <summary>Fits the MBG/NBD model (Batislam, Denizel &amp; Filiztekin 2007) by maximum likelihood.</summary>
public static class MbgNbdModel
{
    /// <summary>Fits r, α, a, b to customer summaries (any one time unit; α comes out in that unit).</summary>
    /// <exception cref="ModelInputException">A summary breaks an input rule (the message lists rows).</exception>
    public static MbgNbdFit Fit(IReadOnlyList<CustomerSummary> data, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var clock = Stopwatch.StartNew();
        SummaryValidator.ThrowIfInvalid(data);
        return Fit(RfmData.FromSummaries(data), options ?? FitOptions.Default, clock);
    }

    /// <summary>Fits r, α, a, b to id-less summary rows (e.g. simulated ones).</summary>
    /// <exception cref="ModelInputException">A row breaks an input rule (the message lists rows).</exception>
    public static MbgNbdFit Fit(ReadOnlySpan<SummaryRow> data, FitOptions? options = null)
    {
        var clock = Stopwatch.StartNew();
        SummaryValidator.ThrowIfInvalid(data);
        return Fit(RfmData.FromRows(data), options ?? FitOptions.Default, clock);
    }

    /// <summary>
    /// The thin-data estimate used when fewer than <see cref="FitOptions.MinimumRepeatBuyers"/> customers repeated: the
    /// same as BG/NBD's (r = 1, α = Σ T / (Σ x + 1), a = 2, b = 6; see <see cref="BgNbdModel.ThinDataEstimate"/>).
    /// </summary>
    public static MbgNbdParameters ThinDataEstimate(double totalRepeatPurchases, double totalAge) =>
        new(1.0, Math.Max(totalAge, 1e-9) / (totalRepeatPurchases + 1), 2.0, 6.0);

    private static double[] Theta(MbgNbdParameters p) => [p.R, p.Alpha, p.A, p.B];

    private static MbgNbdFit Fit(RfmData data, FitOptions options, Stopwatch clock)
    {
        var result = RepeatPurchaseFitting.Fit(
            "MBG/NBD", "r, alpha, a, b", "r = 1, alpha = sum T / (sum x + 1), a = 2, b = 6", data, new MbgNbdLikelihood(data), options, clock,
            (sumX, sumT) => Theta(ThinDataEstimate(sumX, sumT)),
            (sumX, sumT) => [1.0, Math.Max(sumT, 1e-9) / (sumX + 1), 1.0, 1.0]);
        return Boundary.IsSuspect(result, options, result.Theta[2] + result.Theta[3])
            ? ConstantDropoutFit.Fit("MBG/NBD", data, result, options, clock, true, (r, limit) => new MbgNbdFit(r, data.Customers, data.Count, options.Penalizer, limit))
            : new MbgNbdFit(result, data.Customers, data.Count, options.Penalizer);
    }
}
