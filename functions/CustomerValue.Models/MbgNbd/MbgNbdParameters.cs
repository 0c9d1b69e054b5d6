using CustomerValue.Models.SpecialFunctions;
using CustomerValue.Models.Valuation;
using MathFn = MathNet.Numerics.SpecialFunctions;

namespace CustomerValue.Models.MbgNbd;

/// <summary>
/// MBG/NBD parameters (Batislam, Denizel &amp; Filiztekin 2007, "Empirical validation and comparison of models for
/// customer base analysis", International Journal of Research in Marketing 24(3) 201–209, appendix A, with the
/// corrections of Wagner &amp; Hoppe 2008, IJRM 25(3) 225–226; "BDF" below) and its per-customer formulas. As BG/NBD,
/// λ ~ Gamma(r, α) and p ~ Beta(a, b), but a customer may drop out after every purchase including the first, so
/// one-time buyers do not all count as alive.
/// </summary>
/// <param name="R">Gamma shape r of the purchase rate λ.</param>
/// <param name="Alpha">Gamma rate α of the purchase rate λ.</param>
/// <param name="A">Beta parameter a of the drop-out probability.</param>
/// <param name="B">Beta parameter b of the drop-out probability.</param>
public sealed record MbgNbdParameters(double R, double Alpha, double A, double B) : IRepeatPurchaseModel
{
    /// <summary>
    /// Log-likelihood of one customer (BDF eq. A3):
    /// L = B(a, b+x+1)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+T)^(r+x)) + B(a+1, b+x)/B(a, b) · Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)),
    /// in logs; B(a+1, b+x)/B(a, b+x+1) = a/(b+x).
    /// </summary>
    public double LogLikelihood(double x, double tx, double T)
    {
        double common = MathFn.GammaLn(R + x) - MathFn.GammaLn(R) + R * Math.Log(Alpha) + GammaRatio.Log(B, x + 1) - GammaRatio.Log(A + B, x + 1);
        return common + Elementary.LogSumExp(-(R + x) * Math.Log(Alpha + T), Math.Log(A / (B + x)) - (R + x) * Math.Log(Alpha + tx));
    }

    /// <summary>P(alive | x, t_x, T) (BDF eq. A5): 1 / (1 + a/(b+x) ((α+T)/(α+t_x))^(r+x)), below 1 also for x = 0.</summary>
    public double ProbabilityAlive(double x, double tx, double T) =>
        1.0 / (1.0 + Math.Exp(Math.Log(A / (B + x)) + (R + x) * Math.Log((Alpha + T) / (Alpha + tx))));

    /// <summary>
    /// E[X(t)] (BDF eq. A4): b/(a−1) · [1 − (α/(α+t))^r 2F1(r, b+1; a+b; t/(α+t))] — the conditional formula at
    /// x = t_x = T = 0, where P(alive) = b/(a+b).
    /// </summary>
    public double ExpectedPurchases(double horizon) => ExpectedPurchases(horizon, 0, 0, 0);

    /// <summary>
    /// E[Y(t) | x, t_x, T] (Wagner &amp; Hoppe 2008, eq. 2):
    /// (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x+1; a+b+x; z)] · P(alive | x, t_x, T), z = t/(α+T+t).
    /// With Euler's transformation (A&amp;S 15.3.3) the bracket is 1 − (1−z)^(a−1) 2F1(a+b−r, a−1; a+b+x; z), which does
    /// not overflow for large x. Undefined at a = 1 exactly (the published formula divides by a − 1).
    /// </summary>
    public double ExpectedPurchases(double horizon, double x, double tx, double T) =>
        horizon <= 0 ? 0.0 : ExpectedPurchasesIfAlive(horizon, x, T) * ProbabilityAlive(x, tx, T);

    /// <summary>The first factor of <see cref="ExpectedPurchases(double, double, double, double)"/>: (a+b+x)/(a−1) · [1 − (1−z)^(a−1) 2F1(a+b−r, a−1; a+b+x; z)].</summary>
    public double ExpectedPurchasesIfAlive(double horizon, double x, double T)
    {
        double t = horizon;
        if (t <= 0)
        {
            return 0.0;
        }

        double z = t / (Alpha + T + t);
        double logHyp = Hypergeometric.LogGauss2F1(A + B - R, A - 1, A + B + x, z, out int sign);
        double bracket = 1 - sign * Math.Exp((A - 1) * -Elementary.Log1P(t / (Alpha + T)) + logHyp);
        return (A + B + x) / (A - 1) * bracket;
    }
}
