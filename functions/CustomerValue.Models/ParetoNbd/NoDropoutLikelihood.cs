using CustomerValue.Models.Fitting;
using MathFn = MathNet.Numerics.SpecialFunctions;

namespace CustomerValue.Models.ParetoNbd;

/// <summary>
/// Weighted log-likelihood of the Pareto/NBD limit s → 0, where nobody drops out: the NBD model (Ehrenberg 1959;
/// note 009 eq. 18 without the drop-out term), in (r, α).
/// </summary>
/// <remarks>
/// ℓ = ln Γ(r+x) − ln Γ(r) + r ln α − (r+x) ln(α+T); ∂ℓ/∂r = ψ(r+x) − ψ(r) + ln α − ln(α+T);
/// ∂ℓ/∂α = r/α − (r+x)/(α+T). Recency carries no information here.
/// </remarks>
internal sealed class NoDropoutLikelihood(RfmData data) : ILogLikelihood
{
    public int ParameterCount => 2;

    public double TotalWeight => data.TotalWeight;

    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double r = theta[0], alpha = theta[1];
        double lnGammaR = MathFn.GammaLn(r), psiR = MathFn.DiGamma(r), lnAlpha = Math.Log(alpha);
        double ll = 0, gr = 0, ga = 0;
        for (int i = 0; i < data.Count; i++)
        {
            double x = data.X[i], w = data.Weight[i], lnT = Math.Log(alpha + data.T[i]);
            ll += w * (MathFn.GammaLn(r + x) - lnGammaR + r * lnAlpha - (r + x) * lnT);
            gr += w * (MathFn.DiGamma(r + x) - psiR + lnAlpha - lnT);
            ga += w * (r / alpha - (r + x) / (alpha + data.T[i]));
        }

        gradient[0] = gr;
        gradient[1] = ga;
        return ll;
    }
}
