using CustomerValue.Models.BgNbd;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.GammaGamma;
using CustomerValue.Models.MbgNbd;
using CustomerValue.Models.ParetoNbd;
using CustomerValue.Models.Summaries;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.LinearAlgebra;

namespace CustomerValue.Models.Valuation;

/// <summary>
/// 80 % intervals of predicted CLV from parameter uncertainty, and each customer's probability of belonging to the top
/// 20 % by CLV, by sampling parameters from the fits' covariance.
/// </summary>
/// <remarks>
/// <para>
/// Method: the parameters of the purchase model and of the spend model are drawn independently from normal
/// distributions in log-parameter space, ln θ ~ N(ln θ̂, D⁻¹ Σ D⁻¹) with Σ the fit's covariance (inverse Hessian) and
/// D = diag(θ̂) — the delta method, which keeps every draw positive (a drop-out probability is capped below 1; parameters
/// fixed by a limit model, such as s = 0, stay fixed). For each draw every customer's CLV is recomputed as in
/// <see cref="CustomerValuation.PredictedClv"/>; the interval is the 10th and 90th percentile over draws, and the
/// top-20 % probability the share of draws in which the customer is among the ⌈0.2 n⌉ largest CLVs of that draw.
/// Draws whose spend model has no finite mean (q ≤ 1) are skipped and replaced. A fit without a covariance contributes
/// no uncertainty. The draws come from a seeded generator, so the result is deterministic.
/// </para>
/// <para>
/// What it leaves out: process uncertainty (the Poisson and drop-out randomness of an individual customer given the
/// parameters) is not in the interval; it is much wider for a single customer (a customer either returns or not) and
/// averages out over segments. The interval says how sure the model is of each customer's expected value.
/// </para>
/// </remarks>
public static class ClvUncertainty
{
    /// <summary>Default number of parameter draws.</summary>
    public const int DefaultDraws = 200;

    /// <summary>Computes <see cref="ClvInterval"/> for every customer, in input order.</summary>
    /// <param name="purchases">A fitted BG/NBD, MBG/NBD or Pareto/NBD model (its covariance is used when available).</param>
    /// <param name="spend">The fitted Gamma-Gamma spend model.</param>
    /// <param name="customers">The customers to value (rules of <see cref="SummaryValidator"/>).</param>
    /// <param name="options">Valuation options (horizon, discounting, margin, month length).</param>
    /// <param name="draws">Parameter draws (≥ 10).</param>
    /// <param name="seed">Seed of the draws.</param>
    /// <exception cref="ArgumentException">The purchase model is not one of the fitted models of this library.</exception>
    public static ClvInterval[] Compute(
        ModelFit purchases, GammaGammaFit spend, ReadOnlySpan<SummaryRow> customers, ValuationOptions? options = null, int draws = DefaultDraws, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        ArgumentNullException.ThrowIfNull(spend);
        ArgumentOutOfRangeException.ThrowIfLessThan(draws, 10);
        options ??= ValuationOptions.Default;
        options.Validate();
        SummaryValidator.ThrowIfInvalid(customers);
        var build = Builder(purchases);
        var kinds = CustomerKinds.Of(customers);
        int n = customers.Length;

        var point = kinds.Values(build(Point(purchases)), spend.Parameters, options);
        var random = new Random(seed);
        var purchaseSampler = new Sampler(purchases);
        var spendSampler = new Sampler(spend);
        // Parameters are drawn in order from the seeded generator, then valued in parallel: deterministic either way.
        var purchaseDraws = new IRepeatPurchaseModel[draws];
        var spendDraws = new GammaGammaParameters[draws];
        for (int d = 0; d < draws; d++)
        {
            GammaGammaParameters spendDraw;
            int attempts = 0;
            do
            {
                var s = spendSampler.Draw(random);
                spendDraw = new GammaGammaParameters(s[0], s[1], s[2]);
            }
            while (!(spendDraw.Q > 1) && ++attempts < 100);

            spendDraws[d] = spendDraw.Q > 1 ? spendDraw : spend.Parameters;
            purchaseDraws[d] = build(purchaseSampler.Draw(random));
        }

        // One row of draws per kind of customer, in single precision: a million customers and 100 draws fit in a few
        // hundred megabytes, and a percentile needs no more than seven significant digits.
        int k = kinds.Count;
        var samples = new float[k * draws];
        var inTop = new int[k];
        Parallel.For(0, draws, () => new double[n], (d, _, buffer) =>
        {
            var values = kinds.Values(purchaseDraws[d], spendDraws[d], options);
            double threshold = kinds.TopThreshold(values, 0.2, buffer);
            for (int j = 0; j < k; j++)
            {
                samples[(j * draws) + d] = (float)values[j];
                if (values[j] >= threshold)
                {
                    Interlocked.Increment(ref inTop[j]);
                }
            }

            return buffer;
        }, _ => { });

        var byKind = new ClvInterval[k];
        Parallel.For(0, k, () => new double[draws], (j, _, column) =>
        {
            for (int d = 0; d < draws; d++)
            {
                column[d] = samples[(j * draws) + d];
            }

            Array.Sort(column);
            byKind[j] = new ClvInterval(point[j], Percentile(column, 0.1), Percentile(column, 0.9), (double)inTop[j] / draws);
            return column;
        }, _ => { });

        var result = new ClvInterval[n];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = byKind[kinds.KindOf[i]];
        }

        return result;
    }

    /// <summary>Linear interpolation between order statistics (type 7 of Hyndman &amp; Fan 1996, as numpy and R by default).</summary>
    private static double Percentile(double[] sorted, double q)
    {
        double h = (sorted.Length - 1) * q;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double[] Point(ModelFit fit) => [.. fit.Summary.Select(p => p.Value)];

    private static Func<double[], IRepeatPurchaseModel> Builder(ModelFit fit) => fit switch
    {
        BgNbdFit { ConstantDropout: not null } => t => new ConstantDropoutParameters(t[0], t[1], Math.Min(t[2], 1 - 1e-12)),
        BgNbdFit => t => new BgNbdParameters(t[0], t[1], t[2], t[3]),
        MbgNbdFit { ConstantDropout: not null } => t => new ConstantDropoutParameters(t[0], t[1], Math.Min(t[2], 1 - 1e-12), true),
        MbgNbdFit => t => new MbgNbdParameters(t[0], t[1], t[2], t[3]),
        ParetoNbdFit { ConstantRate: not null } => t => new ConstantRateParameters(t[0], t[1], t[2]),
        ParetoNbdFit => t => new ParetoNbdParameters(t[0], t[1], t[2], t[3]),
        _ => throw new ArgumentException($"{fit.GetType().Name} is not a repeat-purchase model of this library.", nameof(fit)),
    };

    /// <summary>Draws θ = exp(ln θ̂ + L z), L L^T = D⁻¹ Σ D⁻¹ over the parameters that are positive and have a variance.</summary>
    private sealed class Sampler
    {
        private readonly double[] estimate;
        private readonly int[] free;
        private readonly Matrix<double>? factor;

        public Sampler(ModelFit fit)
        {
            estimate = Point(fit);
            free = [.. Enumerable.Range(0, estimate.Length).Where(i => estimate[i] > 0 && fit.Covariance is { } c && c[i, i] > 0)];
            if (fit.Covariance is not { } covariance || free.Length == 0)
            {
                return;
            }

            var logCovariance = Matrix<double>.Build.Dense(free.Length, free.Length, (i, j) =>
                covariance[free[i], free[j]] / (estimate[free[i]] * estimate[free[j]]));
            try
            {
                factor = logCovariance.Cholesky().Factor;
            }
            catch (ArgumentException)
            {
                factor = null; // not positive definite: no uncertainty from this model
            }
        }

        public double[] Draw(Random random)
        {
            var theta = (double[])estimate.Clone();
            if (factor is null)
            {
                return theta;
            }

            var z = Vector<double>.Build.Dense(free.Length, _ => Normal.Sample(random, 0, 1));
            var shift = factor * z;
            for (int k = 0; k < free.Length; k++)
            {
                theta[free[k]] = estimate[free[k]] * Math.Exp(shift[k]);
            }

            return theta;
        }
    }
}
