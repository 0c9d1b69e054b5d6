using System.Diagnostics;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.Summaries;

namespace CustomerValue.Models.ParetoNbd;

/// <summary>Fits the Pareto/NBD model (Schmittlein, Morrison &amp; Colombo 1987) by maximum likelihood.</summary>
public static class ParetoNbdModel
{
    /// <summary>Fits r, α, s, β to customer summaries (any one time unit; α and β come out in that unit).</summary>
    /// <exception cref="ModelInputException">A summary breaks an input rule (the message lists rows).</exception>
    public static ParetoNbdFit Fit(IReadOnlyList<CustomerSummary> data, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var clock = Stopwatch.StartNew();
        SummaryValidator.ThrowIfInvalid(data);
        return Fit(RfmData.FromSummaries(data), options ?? FitOptions.Default, clock);
    }

    /// <summary>Fits r, α, s, β to id-less summary rows.</summary>
    /// <exception cref="ModelInputException">A row breaks an input rule (the message lists rows).</exception>
    public static ParetoNbdFit Fit(ReadOnlySpan<SummaryRow> data, FitOptions? options = null)
    {
        var clock = Stopwatch.StartNew();
        SummaryValidator.ThrowIfInvalid(data);
        return Fit(RfmData.FromRows(data), options ?? FitOptions.Default, clock);
    }

    /// <summary>
    /// The thin-data estimate (too few repeat buyers): r = 1, α = Σ T / (Σ x + 1) (pooled repeat-purchase rate, as for
    /// BG/NBD) and a weak drop-out prior s = 2, β = 2 · mean T, i.e. a mean drop-out rate of one per mean observed age.
    /// </summary>
    public static ParetoNbdParameters ThinDataEstimate(double totalRepeatPurchases, double totalAge, double customers) =>
        new(1.0, Math.Max(totalAge, 1e-9) / (totalRepeatPurchases + 1), 2.0, 2.0 * Math.Max(totalAge / Math.Max(customers, 1), 1e-9));

    private static double[] Theta(ParetoNbdParameters p) => [p.R, p.Alpha, p.S, p.Beta];

    private static ParetoNbdFit Fit(RfmData data, FitOptions options, Stopwatch clock)
    {
        var result = RepeatPurchaseFitting.Fit(
            "Pareto/NBD", "r, alpha, s, beta", "r = 1, alpha = sum T / (sum x + 1), s = 2, beta = 2 * mean T", data, new ParetoNbdLikelihood(data), options, clock,
            (sumX, sumT) => Theta(ThinDataEstimate(sumX, sumT, data.TotalWeight)),
            (sumX, sumT) => [1.0, Math.Max(sumT, 1e-9) / (sumX + 1), 1.0, Math.Max(sumT / data.TotalWeight, 1e-9)]);
        double s = result.Theta[2];
        if (!Boundary.IsSuspect(result, options, Math.Max(s, 1 / s)))
        {
            return new ParetoNbdFit(result, data.Customers, data.Count, options.Penalizer);
        }

        return s > 1 ? FitConstantRateLimit(data, result, options, clock) : FitNoDropoutLimit(data, result, options, clock);
    }

    /// <summary>
    /// Fits the limit s, β → ∞ with s/β = μ (<see cref="ConstantRateParameters"/>) from the full fit's r, α, s/β, and
    /// reports it when its log-likelihood is within <see cref="Boundary.Tolerance"/> of the full fit's or better.
    /// </summary>
    private static ParetoNbdFit FitConstantRateLimit(RfmData data, MaximumLikelihoodResult full, FitOptions options, Stopwatch clock)
    {
        double s = full.Theta[2], beta = full.Theta[3];
        var limit = MaximumLikelihood.Fit(new ConstantRateLikelihood(data), [full.Theta[0], full.Theta[1], s / beta], options, clock);
        string why = Boundary.Describe("Pareto/NBD", $"s = {s:G4}, beta = {beta:G4}", full);
        if (!(limit.LogLikelihood >= full.LogLikelihood - Boundary.Tolerance))
        {
            var kept = full with { Message = full.Message + $" {why}; the common drop-out rate limit s, beta -> infinity fits worse (LL {limit.LogLikelihood:F3}): full model kept." };
            return new ParetoNbdFit(kept, data.Customers, data.Count, options.Penalizer);
        }

        var result = limit with
        {
            Message = $"{why}; fitted the limit s, beta -> infinity (common drop-out rate mu = s/beta), LL {limit.LogLikelihood:F3}: {limit.Message}",
            Iterations = full.Iterations + limit.Iterations,
            Seconds = clock.Elapsed.TotalSeconds,
            Limit = ModelLimit.ConstantDropoutRate,
        };
        var p = new ConstantRateParameters(limit.Theta[0], limit.Theta[1], limit.Theta[2]);
        return new ParetoNbdFit(result, data.Customers, data.Count, options.Penalizer, p);
    }

    /// <summary>
    /// Fits the limit s → 0 (no drop-out, the NBD model) from the full fit's r, α, and reports it as
    /// (r, α, s = 0, β unchanged: with s = 0 every formula is independent of β) when its log-likelihood is within
    /// <see cref="Boundary.Tolerance"/> of the full fit's or better.
    /// </summary>
    private static ParetoNbdFit FitNoDropoutLimit(RfmData data, MaximumLikelihoodResult full, FitOptions options, Stopwatch clock)
    {
        var limit = MaximumLikelihood.Fit(new NoDropoutLikelihood(data), [full.Theta[0], full.Theta[1]], options, clock);
        string why = Boundary.Describe("Pareto/NBD", $"s = {full.Theta[2]:G4}, beta = {full.Theta[3]:G4}", full);
        if (!(limit.LogLikelihood >= full.LogLikelihood - Boundary.Tolerance))
        {
            var kept = full with { Message = full.Message + $" {why}; the no-drop-out limit s -> 0 fits worse (LL {limit.LogLikelihood:F3}): full model kept." };
            return new ParetoNbdFit(kept, data.Customers, data.Count, options.Penalizer);
        }

        double[,]? covariance = null;
        if (limit.Covariance is { } c)
        {
            covariance = new double[4, 4]; // s and β are fixed in the limit: zero variance
            for (int i = 0; i < 2; i++)
            {
                for (int j = 0; j < 2; j++)
                {
                    covariance[i, j] = c[i, j];
                }
            }
        }

        var result = new MaximumLikelihoodResult(
            [limit.Theta[0], limit.Theta[1], 0, full.Theta[3]],
            [limit.StandardErrors[0], limit.StandardErrors[1], double.NaN, double.NaN],
            covariance,
            limit.LogLikelihood,
            limit.Status,
            $"{why}; fitted the limit s -> 0 (no drop-out, NBD), LL {limit.LogLikelihood:F3}: {limit.Message}",
            full.Iterations + limit.Iterations,
            clock.Elapsed.TotalSeconds)
        {
            HessianPositiveDefinite = limit.HessianPositiveDefinite,
            Limit = ModelLimit.NoDropout,
        };
        return new ParetoNbdFit(result, data.Customers, data.Count, options.Penalizer);
    }
}
