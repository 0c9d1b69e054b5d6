using CustomerValue.Models.SpecialFunctions;
using CustomerValue.Models.Valuation;
using MathFn = MathNet.Numerics.SpecialFunctions;

namespace CustomerValue.Models.BgNbd;

/// <summary>
/// BG/NBD parameters (Fader, Hardie &amp; Lee 2005, "Counting Your Customers the Easy Way: An Alternative to the
/// Pareto/NBD Model", Marketing Science 24(2) 275–284; "FHL 2005" below) and the model's per-customer formulas.
/// Time is in the unit the parameters were fitted in.
/// </summary>
/// <param name="R">Gamma shape r of the purchase rate λ.</param>
/// <param name="Alpha">Gamma rate α of the purchase rate λ (a time scale).</param>
/// <param name="A">Beta parameter a of the drop-out probability.</param>
/// <param name="B">Beta parameter b of the drop-out probability.</param>
public sealed record BgNbdParameters(double R, double Alpha, double A, double B) : IRepeatPurchaseModel
{
    /// <summary>
    /// Log-likelihood of one customer, FHL 2005 eq. (6):
    /// L = B(a, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
    ///   + δ(x&gt;0) B(a+1, b+x−1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)),
    /// evaluated in log space as ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
    /// + ln[(α+T)^−(r+x) + δ(x&gt;0) a/(b+x−1) (α+t_x)^−(r+x)] (the log-sum-exp of FHL's note 004).
    /// </summary>
    public double LogLikelihood(double x, double tx, double T)
    {
        double common = MathFn.GammaLn(R + x) - MathFn.GammaLn(R) + R * Math.Log(Alpha)
            + GammaRatio.Log(B, x) - GammaRatio.Log(A + B, x);
        double a1 = -(R + x) * Math.Log(Alpha + T);
        if (x <= 0)
        {
            return common + a1;
        }

        double a2 = Math.Log(A) - Math.Log(B + x - 1) - (R + x) * Math.Log(Alpha + tx);
        double max = Math.Max(a1, a2);
        return common + max + Math.Log(Math.Exp(a1 - max) + Math.Exp(a2 - max));
    }

    /// <summary>
    /// P(alive | x, t_x, T) (Fader, Hardie &amp; Lee 2008, note 021 "Computing P(alive) using the BG/NBD model", eq. 2):
    /// 1 / (1 + δ(x&gt;0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x)). Equals 1 when x = 0 (nobody drops out before the first repeat purchase).
    /// </summary>
    public double ProbabilityAlive(double x, double tx, double T)
    {
        if (x <= 0)
        {
            return 1.0;
        }

        double logOdds = Math.Log(A / (B + x - 1)) + (R + x) * Math.Log((Alpha + T) / (Alpha + tx));
        return 1.0 / (1.0 + Math.Exp(logOdds));
    }

    /// <summary>
    /// E[X(t)], t = <paramref name="horizon"/>: expected repeat purchases in (0, t] of a customer just acquired, FHL 2005 eq. (9):
    /// (a+b−1)/(a−1) · [1 − (α/(α+t))^r 2F1(r, b; a+b−1; t/(α+t))]. It is the conditional expectation with x = t_x = T = 0.
    /// </summary>
    public double ExpectedPurchases(double horizon) => ExpectedPurchases(horizon, 0, 0, 0);

    /// <summary>
    /// E[Y(t) | x, t_x, T], t = <paramref name="horizon"/>: expected repeat purchases in (T, T+t] given the history, FHL 2005 eq. (10):
    /// (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x−1; z)] / [1 + δ(x&gt;0) a/(b+x−1) ((α+T)/(α+t_x))^(r+x)],
    /// z = t/(α+T+t). The 2F1 term is rewritten with Euler's transformation (A&amp;S 15.3.3):
    /// (1−z)^(r+x) 2F1(r+x, b+x; c; z) = (1−z)^(a−1) 2F1(a+b−1−r, a−1; a+b+x−1; z), which neither overflows for large x
    /// nor needs more terms as x grows. Not defined at a = 1 exactly (the published formula divides by a − 1).
    /// </summary>
    public double ExpectedPurchases(double horizon, double x, double tx, double T) =>
        horizon <= 0 ? 0.0 : ExpectedPurchasesIfAlive(horizon, x, T) * ProbabilityAlive(x, tx, T);

    /// <summary>The numerator of <see cref="ExpectedPurchases(double, double, double, double)"/>: (a+b+x−1)/(a−1) · [1 − (1−z)^(a−1) 2F1(a+b−1−r, a−1; a+b+x−1; z)].</summary>
    public double ExpectedPurchasesIfAlive(double horizon, double x, double T)
    {
        double t = horizon;
        if (t <= 0)
        {
            return 0.0;
        }

        double z = t / (Alpha + T + t);
        double logHyp = Hypergeometric.LogGauss2F1(A + B - 1 - R, A - 1, A + B + x - 1, z, out int sign);
        double bracket = 1 - sign * Math.Exp((A - 1) * -Elementary.Log1P(t / (Alpha + T)) + logHyp);
        return (A + B + x - 1) / (A - 1) * bracket;
    }
}
