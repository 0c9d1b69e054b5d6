using CustomerValue.Models.SpecialFunctions;
using CustomerValue.Models.Valuation;
using MathFn = MathNet.Numerics.SpecialFunctions;

namespace CustomerValue.Models.ParetoNbd;

/// <summary>
/// The Pareto/NBD model's limit s, β → ∞ with s/β → μ: purchase rates λ ~ Gamma(r, α) as in Pareto/NBD, but every
/// customer's lifetime is exponential with the same rate μ. The fit lands here when the Pareto/NBD likelihood increases
/// all the way to that boundary (customers leave at a common rate). Formulas are the limits of note 009's.
/// </summary>
/// <param name="R">Gamma shape r of the purchase rate λ.</param>
/// <param name="Alpha">Gamma rate α of the purchase rate λ.</param>
/// <param name="Mu">Drop-out rate μ per time unit (mean lifetime 1/μ).</param>
public sealed record ConstantRateParameters(double R, double Alpha, double Mu) : IRepeatPurchaseModel
{
    /// <summary>
    /// Log-likelihood of one customer: Γ(r+x) α^r / Γ(r) · {e^−μT (α+T)^−(r+x) + μ ∫_{t_x}^{T} e^−μτ (α+τ)^−(r+x) dτ}
    /// (note 009 eq. 18 with μ fixed instead of Gamma-distributed).
    /// </summary>
    public double LogLikelihood(double x, double tx, double T)
    {
        double k = MathFn.GammaLn(R + x) - MathFn.GammaLn(R) + R * Math.Log(Alpha);
        return k + Elementary.LogSumExp(-Mu * T - (R + x) * Math.Log(Alpha + T), Math.Log(Mu) + ConstantRateLikelihood.Log(R + x, Alpha, Mu, tx, T).Log);
    }

    /// <summary>P(alive | x, t_x, T) = e^−μT (α+T)^−(r+x) / {e^−μT (α+T)^−(r+x) + μ J}, J the integral of <see cref="LogLikelihood"/>.</summary>
    public double ProbabilityAlive(double x, double tx, double T)
    {
        if (x == 0 && tx == 0 && T == 0)
        {
            // Just acquired: alive by definition (the integral below is empty there).
            return 1.0;
        }

        double logOdds = Math.Log(Mu) + ConstantRateLikelihood.Log(R + x, Alpha, Mu, tx, T).Log + Mu * T + (R + x) * Math.Log(Alpha + T);
        return 1.0 / (1.0 + Math.Exp(logOdds));
    }

    /// <summary>E[X(t)] of a new customer: (r/α) (1 − e^−μt)/μ.</summary>
    public double ExpectedPurchases(double horizon) => ExpectedPurchases(horizon, 0, 0, 0);

    /// <summary>
    /// E[Y(t) | x, t_x, T] = (r+x)/(α+T) · (1 − e^−μt)/μ · P(alive): the posterior mean rate of an active customer times
    /// the expected time alive within t (the limit of note 009 eq. 41, (β+T)/(s−1) [1 − ((β+T)/(β+T+t))^(s−1)] → (1 − e^−μt)/μ).
    /// </summary>
    public double ExpectedPurchases(double horizon, double x, double tx, double T) =>
        horizon <= 0 ? 0.0 : ExpectedPurchasesIfAlive(horizon, x, T) * ProbabilityAlive(x, tx, T);

    /// <summary>The first factor of <see cref="ExpectedPurchases(double, double, double, double)"/>: (r+x)/(α+T) · (1 − e^−μt)/μ.</summary>
    public double ExpectedPurchasesIfAlive(double horizon, double x, double T) =>
        horizon <= 0 ? 0.0 : (R + x) / (Alpha + T) * -Elementary.ExpM1(-Mu * horizon) / Mu;
}
