using CustomerValue.Models.Fitting;
using CustomerValue.Models.SpecialFunctions;
using MathFn = MathNet.Numerics.SpecialFunctions;

namespace CustomerValue.Models.BgNbd;

/// <summary>
/// Weighted log-likelihood of <see cref="ConstantDropoutParameters"/> in the parameters (r, α, o), o = p/(1−p) the
/// drop-out odds (positive without bounds, so the log-scale search of <see cref="MaximumLikelihood"/> applies).
/// </summary>
/// <remarks>
/// Per row, with A₁ = −(r+x) ln(α+T), A₂ = ln o − (r+x) ln(α+t_x) (x &gt; 0, or every x when customers may drop out
/// after the first purchase, δ₁ = 1) and w₂ = e^A₂/(e^A₁+e^A₂):
/// ℓ = ln Γ(r+x) − ln Γ(r) + r ln α − (x+δ₁) ln(1+o) + ln(e^A₁ + e^A₂);
/// ∂ℓ/∂r = ψ(r+x) − ψ(r) + ln α − w₁ ln(α+T) − w₂ ln(α+t_x); ∂ℓ/∂α = r/α − (r+x)(w₁/(α+T) + w₂/(α+t_x));
/// ∂ℓ/∂o = −(x+δ₁)/(1+o) + w₂/o.
/// </remarks>
internal sealed class ConstantDropoutLikelihood(RfmData data, bool dropsAfterFirstPurchase = false) : ILogLikelihood
{
    public int ParameterCount => 3;

    public double TotalWeight => data.TotalWeight;

    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double r = theta[0], alpha = theta[1], odds = theta[2];
        double lnGammaR = MathFn.GammaLn(r), psiR = MathFn.DiGamma(r), lnAlpha = Math.Log(alpha), lnOdds = Math.Log(odds);
        double log1pOdds = Elementary.Log1P(odds), dropsFirst = dropsAfterFirstPurchase ? 1 : 0;
        double ll = 0, gr = 0, ga = 0, go = 0;
        for (int i = 0; i < data.Count; i++)
        {
            double x = data.X[i], w = data.Weight[i], rx = r + x;
            double lnT = Math.Log(alpha + data.T[i]);
            double a1 = -rx * lnT, w2 = 0, lnTx = 0, logSum = a1;
            if (x > 0 || dropsAfterFirstPurchase)
            {
                lnTx = Math.Log(alpha + data.Tx[i]);
                double a2 = lnOdds - rx * lnTx;
                logSum = Elementary.LogSumExp(a1, a2);
                w2 = Math.Exp(a2 - logSum);
            }

            double w1 = 1 - w2;
            ll += w * (MathFn.GammaLn(rx) - lnGammaR + r * lnAlpha - (x + dropsFirst) * log1pOdds + logSum);
            gr += w * (MathFn.DiGamma(rx) - psiR + lnAlpha - w1 * lnT - w2 * lnTx);
            ga += w * (r / alpha - rx * (w1 / (alpha + data.T[i]) + w2 / (alpha + data.Tx[i])));
            go += w * (-(x + dropsFirst) / (1 + odds) + w2 / odds);
        }

        gradient[0] = gr;
        gradient[1] = ga;
        gradient[2] = go;
        return ll;
    }
}
