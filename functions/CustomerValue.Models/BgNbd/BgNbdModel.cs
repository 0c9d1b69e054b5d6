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

    private static BgNbdFit Fit(RfmData data, FitOptions options, Stopwatch clock)
    {
        if (data.Count == 0)
        {
            throw new ModelInputException("BG/NBD needs at least one customer summary; the input is empty.");
        }

        double sumX = 0, sumT = 0;
        for (int i = 0; i < data.Count; i++)
        {
            sumX += data.Weight[i] * data.X[i];
            sumT += data.Weight[i] * data.T[i];
        }

        var likelihood = new BgNbdLikelihood(data);
        if (data.RepeatBuyers < options.MinimumRepeatBuyers)
        {
            var p = ThinDataEstimate(sumX, sumT);
            double[] theta = [p.R, p.Alpha, p.A, p.B];
            double ll = likelihood.Evaluate(theta, new double[4]);
            string message = $"Thin data: {data.RepeatBuyers} repeat buyer(s) < {options.MinimumRepeatBuyers} required; not fitted. "
                + "Simple estimate: r = 1, alpha = sum T / (sum x + 1), a = 2, b = 6.";
            var thin = new MaximumLikelihoodResult(theta, [double.NaN, double.NaN, double.NaN, double.NaN], null, ll, FitStatus.ThinDataEstimate, message, 0, clock.Elapsed.TotalSeconds);
            return new BgNbdFit(thin, data.Customers, data.Count, options.Penalizer);
        }

        var initial = options.InitialParameters?.ToArray() ?? [1.0, Math.Max(sumT, 1e-9) / (sumX + 1), 1.0, 1.0];
        if (initial.Length != 4 || initial.Any(v => !(v > 0) || !double.IsFinite(v)))
        {
            throw new ArgumentException("BG/NBD initial parameters must be four finite positive numbers (r, alpha, a, b).", nameof(options));
        }

        var result = MaximumLikelihood.Fit(likelihood, initial, options, clock);
        return Boundary.IsSuspect(result, options, result.Theta[2] + result.Theta[3])
            ? FitLimit(data, result, options, clock)
            : new BgNbdFit(result, data.Customers, data.Count, options.Penalizer);
    }

    /// <summary>
    /// Fits the limit a, b → ∞ (<see cref="ConstantDropoutParameters"/>) from the full fit's r, α and a/b, and reports it
    /// instead of the full fit when its log-likelihood is within <see cref="Boundary.Tolerance"/> of the full fit's or
    /// better: the full model's supremum is then on that boundary (or indistinguishable from it).
    /// </summary>
    private static BgNbdFit FitLimit(RfmData data, MaximumLikelihoodResult full, FitOptions options, Stopwatch clock)
    {
        double a = full.Theta[2], b = full.Theta[3];
        double[] start = [full.Theta[0], full.Theta[1], Math.Clamp(a / b, 1e-8, 1e8)];
        var limit = MaximumLikelihood.Fit(new ConstantDropoutLikelihood(data), start, options, clock);
        string why = Boundary.Describe("BG/NBD", $"a = {a:G4}, b = {b:G4}", full);
        if (!(limit.LogLikelihood >= full.LogLikelihood - Boundary.Tolerance))
        {
            var kept = full with { Message = full.Message + $" {why}; the limit a, b -> infinity fits worse (LL {limit.LogLikelihood:F3}): full model kept." };
            return new BgNbdFit(kept, data.Customers, data.Count, options.Penalizer);
        }

        // (r, α, o) → (r, α, p), p = o/(1+o), dp/do = 1/(1+o)²: the delta method for the standard error and covariance.
        double odds = limit.Theta[2], p = odds / (1 + odds), dp = 1 / ((1 + odds) * (1 + odds));
        var jacobian = new[] { 1.0, 1.0, dp };
        var result = new MaximumLikelihoodResult(
            [limit.Theta[0], limit.Theta[1], p],
            [limit.StandardErrors[0], limit.StandardErrors[1], limit.StandardErrors[2] * dp],
            Boundary.Scale(limit.Covariance, jacobian),
            limit.LogLikelihood,
            limit.Status,
            $"{why}; fitted the limit a, b -> infinity (constant drop-out probability p), LL {limit.LogLikelihood:F3}: {limit.Message}",
            full.Iterations + limit.Iterations,
            clock.Elapsed.TotalSeconds)
        {
            HessianPositiveDefinite = limit.HessianPositiveDefinite,
            Limit = ModelLimit.ConstantDropoutProbability,
        };
        return new BgNbdFit(result, data.Customers, data.Count, options.Penalizer, new ConstantDropoutParameters(limit.Theta[0], limit.Theta[1], p));
    }
}
