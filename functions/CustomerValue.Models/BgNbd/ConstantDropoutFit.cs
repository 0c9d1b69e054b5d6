using System.Diagnostics;
using CustomerValue.Models.Fitting;

namespace CustomerValue.Models.BgNbd;

/// <summary>The limit a, b → ∞ of BG/NBD and MBG/NBD, fitted when the full fit heads for it.</summary>
internal static class ConstantDropoutFit
{
    /// <summary>
    /// Fits <see cref="ConstantDropoutParameters"/> from the full fit's r, α and a/b, and returns it (through
    /// <paramref name="create"/>, with its parameters) instead of the full fit when its log-likelihood is within
    /// <see cref="Boundary.Tolerance"/> of the full fit's or better: the full model's supremum is then on that boundary
    /// (or indistinguishable from it). Otherwise the full fit is returned with a note.
    /// </summary>
    public static T Fit<T>(
        string model, RfmData data, MaximumLikelihoodResult full, FitOptions options, Stopwatch clock, bool dropsAfterFirstPurchase,
        Func<MaximumLikelihoodResult, ConstantDropoutParameters?, T> create)
    {
        double a = full.Theta[2], b = full.Theta[3];
        double[] start = [full.Theta[0], full.Theta[1], Math.Clamp(a / b, 1e-8, 1e8)];
        var limit = MaximumLikelihood.Fit(new ConstantDropoutLikelihood(data, dropsAfterFirstPurchase), start, options, clock);
        string why = Boundary.Describe(model, $"a = {a:G4}, b = {b:G4}", full);
        if (!(limit.LogLikelihood >= full.LogLikelihood - Boundary.Tolerance))
        {
            return create(full with { Message = full.Message + $" {why}; the limit a, b -> infinity fits worse (LL {limit.LogLikelihood:F3}): full model kept." }, null);
        }

        // (r, α, o) → (r, α, p), p = o/(1+o), dp/do = 1/(1+o)²: the delta method for the standard error and covariance.
        double odds = limit.Theta[2], p = odds / (1 + odds), dp = 1 / ((1 + odds) * (1 + odds));
        var result = new MaximumLikelihoodResult(
            [limit.Theta[0], limit.Theta[1], p],
            [limit.StandardErrors[0], limit.StandardErrors[1], limit.StandardErrors[2] * dp],
            Boundary.Scale(limit.Covariance, [1.0, 1.0, dp]),
            limit.LogLikelihood,
            limit.Status,
            $"{why}; fitted the limit a, b -> infinity (constant drop-out probability p), LL {limit.LogLikelihood:F3}: {limit.Message}",
            full.Iterations + limit.Iterations,
            clock.Elapsed.TotalSeconds)
        {
            HessianPositiveDefinite = limit.HessianPositiveDefinite,
            Limit = ModelLimit.ConstantDropoutProbability,
        };
        return create(result, new ConstantDropoutParameters(limit.Theta[0], limit.Theta[1], p, dropsAfterFirstPurchase));
    }
}
