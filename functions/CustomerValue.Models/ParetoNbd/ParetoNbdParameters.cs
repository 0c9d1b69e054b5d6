using CustomerValue.Models.SpecialFunctions;
using CustomerValue.Models.Valuation;
using MathFn = MathNet.Numerics.SpecialFunctions;

namespace CustomerValue.Models.ParetoNbd;

/// <summary>
/// Pareto/NBD parameters (Schmittlein, Morrison &amp; Colombo 1987, Management Science 33(1) 1–24) and its per-customer
/// formulas as derived in Fader &amp; Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions"
/// (note 009; "the note" below). λ ~ Gamma(r, α) purchase rate, μ ~ Gamma(s, β) drop-out rate.
/// </summary>
/// <param name="R">Gamma shape r of the purchase rate.</param>
/// <param name="Alpha">Gamma rate α of the purchase rate.</param>
/// <param name="S">Gamma shape s of the drop-out rate.</param>
/// <param name="Beta">Gamma rate β of the drop-out rate.</param>
public sealed record ParetoNbdParameters(double R, double Alpha, double S, double Beta) : IRepeatPurchaseModel
{
    /// <summary>
    /// Log-likelihood of one customer, the note's eq. (18):
    /// L = Γ(r+x) α^r β^s / Γ(r) · { 1/((α+T)^(r+x) (β+T)^s) + s/(r+s+x) · A₀ }, with A₀ from eqs. (19)/(20):
    /// for α ≥ β, A₀ = 2F1(r+s+x, s+1; r+s+x+1; (α−β)/(α+t_x)) / (α+t_x)^(r+s+x) − 2F1(…; (α−β)/(α+T)) / (α+T)^(r+s+x);
    /// for α &lt; β the same with (β−α)/(β+·), (β+·) and second parameter r+x.
    /// </summary>
    public double LogLikelihood(double x, double tx, double T)
    {
        // β^s is folded into the powers of (β+·) as −s ln(1 + ·/β): exact, and finite also for s, β in the millions.
        double k = MathFn.GammaLn(R + x) - MathFn.GammaLn(R) + R * Math.Log(Alpha);
        double first = -(R + x) * Math.Log(Alpha + T) - S * Elementary.Log1P(T / Beta);
        double second = Math.Log(S) + ParetoNbdIntegral.Evaluate(R, Alpha, S, Beta, x, tx, T).Log;
        return k + Elementary.LogSumExp(first, second);
    }

    /// <summary>
    /// P(alive | x, t_x, T), the note's eq. (36)/(37) section 5.1:
    /// 1 / {1 + s/(r+s+x) · (α+T)^(r+x) (β+T)^s · A₀}, with s/(r+s+x) A₀ = s I as in <see cref="LogLikelihood"/>.
    /// </summary>
    public double ProbabilityAlive(double x, double tx, double T)
    {
        if (x == 0 && tx == 0 && T == 0)
        {
            // Just acquired: alive by definition (the integral below is empty there).
            return 1.0;
        }

        double logOdds = Math.Log(S) + ParetoNbdIntegral.Evaluate(R, Alpha, S, Beta, x, tx, T).Log
            + (R + x) * Math.Log(Alpha + T) + S * Elementary.Log1P(T / Beta);
        return 1.0 / (1.0 + Math.Exp(logOdds));
    }

    /// <summary>
    /// E[X(t)] for a new customer, t = <paramref name="horizon"/>, the note's eq. (27): r β / (α (s−1)) · [1 − (β/(β+t))^(s−1)]
    /// (limit r/α · β ln(1 + t/β) at s = 1).
    /// </summary>
    public double ExpectedPurchases(double horizon) => ExpectedPurchases(horizon, 0, 0, 0);

    /// <summary>
    /// E[Y(t) | x, t_x, T], t = <paramref name="horizon"/>, the note's eq. (41):
    /// (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive | x, t_x, T)
    /// (at s = 1 the bracket over s−1 becomes ln(1 + t/(β+T))).
    /// </summary>
    public double ExpectedPurchases(double horizon, double x, double tx, double T) =>
        horizon <= 0 ? 0.0 : ExpectedPurchasesIfAlive(horizon, x, T) * ProbabilityAlive(x, tx, T);

    /// <summary>The first factor of <see cref="ExpectedPurchases(double, double, double, double)"/>: (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)].</summary>
    public double ExpectedPurchasesIfAlive(double horizon, double x, double T)
    {
        if (horizon <= 0)
        {
            return 0.0;
        }

        double logRatio = -Elementary.Log1P(horizon / (Beta + T)); // ≤ 0
        double sm1 = S - 1;
        double bracket = Math.Abs(sm1) < 1e-10 ? -logRatio : -Elementary.ExpM1(sm1 * logRatio) / sm1;
        return (R + x) * (Beta + T) / (Alpha + T) * bracket;
    }

}
