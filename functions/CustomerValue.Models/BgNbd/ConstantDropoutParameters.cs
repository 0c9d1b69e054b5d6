using CustomerValue.Models.SpecialFunctions;
using CustomerValue.Models.Valuation;
using MathFn = MathNet.Numerics.SpecialFunctions;

namespace CustomerValue.Models.BgNbd;

/// <summary>
/// The BG/NBD model's limit a, b → ∞ with a/(a+b) → p: λ ~ Gamma(r, α) as in BG/NBD, but every customer drops out with
/// the same probability p after each repeat purchase (no heterogeneity in drop-out). The fit lands here when the BG/NBD
/// likelihood increases all the way to that boundary. Formulas are the limits of FHL 2005's, derived below.
/// </summary>
/// <param name="R">Gamma shape r of the purchase rate λ.</param>
/// <param name="Alpha">Gamma rate α of the purchase rate λ.</param>
/// <param name="P">Drop-out probability after each repeat purchase, 0 &lt; p &lt; 1.</param>
/// <param name="DropsAfterFirstPurchase">
/// Whether the customer may also drop out right after the first purchase: true for the limit of MBG/NBD, false (as in
/// BG/NBD) otherwise. Where it matters, the formulas below carry δ₁ = 1 for true and 0 for false.
/// </param>
public sealed record ConstantDropoutParameters(double R, double Alpha, double P, bool DropsAfterFirstPurchase = false) : IRepeatPurchaseModel
{
    /// <summary>
    /// Log-likelihood of one customer: FHL 2005 eq. (6) with B(a, b+x)/B(a, b) → (1−p)^x and
    /// B(a+1, b+x−1)/B(a, b) → p (1−p)^(x−1):
    /// L = Γ(r+x) α^r / Γ(r) · (1−p)^(x+δ₁) [(α+T)^−(r+x) + δ(x&gt;0 or δ₁) p/(1−p) (α+t_x)^−(r+x)]
    /// (for MBG/NBD, BDF eq. A3 with B(a, b+x+1)/B(a, b) → (1−p)^(x+1) and B(a+1, b+x)/B(a, b) → p (1−p)^x).
    /// </summary>
    public double LogLikelihood(double x, double tx, double T)
    {
        double dropsFirst = DropsAfterFirstPurchase ? 1 : 0;
        double common = MathFn.GammaLn(R + x) - MathFn.GammaLn(R) + R * Math.Log(Alpha) + (x + dropsFirst) * Elementary.Log1P(-P);
        double a1 = -(R + x) * Math.Log(Alpha + T);
        return x <= 0 && !DropsAfterFirstPurchase
            ? common + a1
            : common + Elementary.LogSumExp(a1, Math.Log(P / (1 - P)) - (R + x) * Math.Log(Alpha + tx));
    }

    /// <summary>
    /// P(alive | x, t_x, T), the limit of note 021 eq. (2) (a/(b+x−1) → p/(1−p); for MBG/NBD BDF eq. A5, a/(b+x) → p/(1−p)):
    /// 1 / (1 + δ(x&gt;0 or δ₁) p/(1−p) ((α+T)/(α+t_x))^(r+x)).
    /// </summary>
    public double ProbabilityAlive(double x, double tx, double T)
    {
        if (x <= 0 && !DropsAfterFirstPurchase)
        {
            return 1.0;
        }

        return 1.0 / (1.0 + Math.Exp(Math.Log(P / (1 - P)) + (R + x) * Math.Log((Alpha + T) / (Alpha + tx))));
    }

    /// <summary>
    /// E[X(t)] of a new customer: (1 − δ₁ p)/p · [1 − (α/(α+pt))^r] (the conditional formula at x = t_x = T = 0, where
    /// P(alive) = 1 − δ₁ p).
    /// </summary>
    public double ExpectedPurchases(double horizon) => ExpectedPurchases(horizon, 0, 0, 0);

    /// <summary>
    /// E[Y(t) | x, t_x, T] = (1/p) [1 − ((α+T)/(α+T+pt))^(r+x)] · P(alive | x, t_x, T). Derivation: an active customer
    /// with rate λ makes N ~ Poisson(λt) attempts and purchase j counts if the j−1 before did not end the relationship,
    /// so E[Y | λ] = Σ_j P(N ≥ j)(1−p)^(j−1) = (1 − E[(1−p)^N])/p = (1 − e^(−λpt))/p; averaging over the posterior
    /// λ ~ Gamma(r+x, α+T) gives the bracket. It is also the limit of FHL 2005 eq. (10): (a+b+x−1)/(a−1) → 1/p and
    /// 2F1(r+x, b+x; a+b+x−1; z) → (1 − (1−p)z)^−(r+x).
    /// </summary>
    public double ExpectedPurchases(double horizon, double x, double tx, double T) =>
        horizon <= 0 ? 0.0 : ExpectedPurchasesIfAlive(horizon, x, T) * ProbabilityAlive(x, tx, T);

    /// <summary>The first factor of <see cref="ExpectedPurchases(double, double, double, double)"/>: (1/p) [1 − ((α+T)/(α+T+pt))^(r+x)].</summary>
    public double ExpectedPurchasesIfAlive(double horizon, double x, double T) =>
        horizon <= 0 ? 0.0 : -Elementary.ExpM1(-(R + x) * Elementary.Log1P(P * horizon / (Alpha + T))) / P;
}
