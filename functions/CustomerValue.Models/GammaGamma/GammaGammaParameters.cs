using MathFn = MathNet.Numerics.SpecialFunctions;

namespace CustomerValue.Models.GammaGamma;

/// <summary>
/// Gamma-Gamma spend model parameters (Fader, Hardie &amp; Lee 2005, "RFM and CLV: Using Iso-Value Curves for
/// Customer Base Analysis", JMR 42(4) 415–430; Fader &amp; Hardie 2013, "The Gamma-Gamma Model of Monetary Value",
/// note 025): transaction values z ~ Gamma(p, ν), ν ~ Gamma(q, γ) across customers.
/// </summary>
/// <param name="P">Shape p of one transaction value given ν.</param>
/// <param name="Q">Shape q of ν across customers.</param>
/// <param name="V">Rate γ (lifetimes' v) of ν across customers.</param>
public sealed record GammaGammaParameters(double P, double Q, double V)
{
    /// <summary>Population mean value of a transaction, E[Z] = E[p/ν] = p γ / (q − 1) (the mean of the model, note 025 §2); +∞ when q ≤ 1.</summary>
    public double MeanTransactionValue => Q > 1 ? P * V / (Q - 1) : double.PositiveInfinity;

    /// <summary>
    /// Log-likelihood of one customer's mean repeat-purchase value m over x transactions (note 025 eq. 1a, the
    /// density of the sample mean z̄ = m given p, q, γ):
    /// ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ + (px−1) ln m + px ln x − (px+q) ln(γ + m x).
    /// </summary>
    public double LogLikelihood(double x, double m) =>
        MathFn.GammaLn(P * x + Q) - MathFn.GammaLn(P * x) - MathFn.GammaLn(Q) + Q * Math.Log(V)
        + (P * x - 1) * Math.Log(m) + P * x * Math.Log(x) - (P * x + Q) * Math.Log(V + m * x);

    /// <summary>
    /// Expected spend per transaction given x repeat transactions of mean value m (note 025 eq. 5; FHL 2005 RFM eq. 5):
    /// E[Z | x, m] = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · m = p (γ + m x) / (p x + q − 1),
    /// a weighted average of the population mean and the customer's own mean. With x = 0 it is the population mean.
    /// </summary>
    public double ExpectedAverageSpend(double x, double m) => x <= 0
        ? MeanTransactionValue
        : P * (V + m * x) / (P * x + Q - 1);
}
