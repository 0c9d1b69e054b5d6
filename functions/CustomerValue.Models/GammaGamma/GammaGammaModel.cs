using System.Diagnostics;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Models.GammaGamma;

/// <summary>Fits the Gamma-Gamma spend model by maximum likelihood on the customers with repeat purchases.</summary>
public static class GammaGammaModel
{
    /// <summary>
    /// Fits p, q, γ to the repeat buyers (frequency &gt; 0) of <paramref name="data"/>; customers without repeat purchases
    /// carry no spend information in this model (their MonetaryValue is ignored).
    /// </summary>
    /// <exception cref="ModelInputException">A row breaks an input rule (e.g. a repeat buyer with spend ≤ 0), or no customer repeated.</exception>
    public static GammaGammaFit Fit(IReadOnlyList<CustomerSummary> data, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var clock = Stopwatch.StartNew();
        SummaryValidator.ThrowIfInvalid(data, requirePositiveMonetaryValue: true);
        var rows = new SummaryRow[data.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = data[i].ToRow();
        }

        return Fit(rows, options ?? FitOptions.Default, clock);
    }

    /// <summary>Fits p, q, γ to id-less rows (see the other overload).</summary>
    public static GammaGammaFit Fit(ReadOnlySpan<SummaryRow> data, FitOptions? options = null)
    {
        var clock = Stopwatch.StartNew();
        SummaryValidator.ThrowIfInvalid(data, requirePositiveMonetaryValue: true);
        return Fit(data, options ?? FitOptions.Default, clock);
    }

    /// <summary>
    /// Thin-data estimate (fewer repeat buyers than <see cref="FitOptions.MinimumRepeatBuyers"/>): p = 1, q = 2,
    /// γ = mean of the repeat buyers' mean spend m̄, so that E[Z | x, m] = (m̄ + x m) / (x + 1): the customer's own mean
    /// shrunk towards the population mean by one pseudo-transaction.
    /// </summary>
    public static GammaGammaParameters ThinDataEstimate(double meanSpendOfRepeatBuyers) => new(1.0, 2.0, meanSpendOfRepeatBuyers);

    private static GammaGammaFit Fit(ReadOnlySpan<SummaryRow> data, FitOptions options, Stopwatch clock)
    {
        var (x, m, weight) = Kinds(data);
        if (x.Length == 0)
        {
            throw new ModelInputException("Gamma-Gamma needs at least one customer with a repeat purchase and positive spend; none of the rows has frequency > 0.");
        }

        var likelihood = new GammaGammaLikelihood(x, m, weight);
        int buyers = (int)likelihood.TotalWeight;
        double meanSpend = 0;
        for (int k = 0; k < x.Length; k++)
        {
            meanSpend += m[k] * weight[k];
        }

        meanSpend /= buyers;

        if (buyers < options.MinimumRepeatBuyers)
        {
            var p = ThinDataEstimate(meanSpend);
            double[] theta = [p.P, p.Q, p.V];
            double ll = likelihood.Evaluate(theta, new double[3]);
            string message = $"Thin data: {buyers} repeat buyer(s) < {options.MinimumRepeatBuyers} required; not fitted. "
                + "Simple estimate: p = 1, q = 2, v = mean spend of repeat buyers.";
            var thin = new MaximumLikelihoodResult(theta, [double.NaN, double.NaN, double.NaN], null, ll, FitStatus.ThinDataEstimate, message, 0, clock.Elapsed.TotalSeconds);
            return new GammaGammaFit(thin, buyers, x.Length, options.Penalizer);
        }

        var initial = options.InitialParameters?.ToArray() ?? [1.0, 2.0, meanSpend];
        bool usable = initial.Length == 3;
        foreach (double v in initial)
        {
            usable &= v > 0 && double.IsFinite(v);
        }

        if (!usable)
        {
            throw new ArgumentException("Gamma-Gamma initial parameters must be three finite positive numbers (p, q, v).", nameof(options));
        }

        var result = MaximumLikelihood.Fit(likelihood, initial, options, clock);
        return new GammaGammaFit(result, buyers, x.Length, options.Penalizer);
    }

    /// <summary>
    /// The repeat buyers' distinct (x, m̄) kinds, sorted by x then m̄, with the number of buyers of each kind: the
    /// likelihood's rows. The two columns are ranked (<see cref="RankedColumn"/>) and packed into one key, so sorting and
    /// counting a million buyers is a radix sort rather than a dictionary and a sort of tuples.
    /// </summary>
    private static (double[] X, double[] M, double[] Weight) Kinds(ReadOnlySpan<SummaryRow> data)
    {
        int buyers = 0;
        foreach (var row in data)
        {
            buyers += row.Frequency > 0 ? 1 : 0;
        }

        var xs = new double[buyers];
        var ms = new double[buyers];
        int next = 0;
        foreach (var row in data)
        {
            if (row.Frequency > 0)
            {
                xs[next] = row.Frequency;
                ms[next++] = row.MonetaryValue;
            }
        }

        var rx = RankedColumn.Of(xs);
        var rm = RankedColumn.Of(ms);
        var keys = new long[buyers];
        for (int i = 0; i < buyers; i++)
        {
            keys[i] = ((long)rx.Rank[i] << rm.Bits) | (long)rm.Rank[i];
        }

        var (unique, counts) = RankedColumn.SortAndCount(keys, rx.Bits + rm.Bits);
        var x = new double[unique];
        var m = new double[unique];
        var weight = new double[unique];
        long maskM = (1L << rm.Bits) - 1;
        for (int k = 0; k < unique; k++)
        {
            x[k] = rx.Values[(int)(keys[k] >> rm.Bits)];
            m[k] = rm.Values[(int)(keys[k] & maskM)];
            weight[k] = counts[k];
        }

        return (x, m, weight);
    }
}
