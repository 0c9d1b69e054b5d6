using CustomerValue.Models.Fitting;
using CustomerValue.Models.SpecialFunctions;
using MathFn = MathNet.Numerics.SpecialFunctions;

namespace CustomerValue.Models.ParetoNbd;

/// <summary>
/// Weighted log-likelihood of the Pareto/NBD limit s, β → ∞ with s/β → μ: every customer has the same exponential
/// lifetime with rate μ (no heterogeneity in drop-out), in (r, α, μ).
/// </summary>
/// <remarks>
/// Note 009 eq. (18) with the Gamma(s, β) mixing of μ replaced by the point μ (β^s (β+τ)^−(s+1) s → μ e^−μτ):
/// L = Γ(r+x) α^r / Γ(r) · { e^−μT (α+T)^−(r+x) + μ J }, J = ∫_{t_x}^{T} e^−μτ (α+τ)^−(r+x) dτ, taken by
/// <see cref="LogQuadrature"/> in v = ln(α+τ) together with ∂J/∂r = −∫ ln(α+τ) f, ∂J/∂α = −(r+x) ∫ f/(α+τ),
/// ∂J/∂μ = −∫ τ f. With A₁ = −μT − (r+x) ln(α+T), A₂ = ln μ + ln J and the weights w₁, w₂ of the log-sum-exp:
/// ∂ℓ/∂r = ψ(r+x) − ψ(r) + ln α − w₁ ln(α+T) + w₂ ∂ln J/∂r; ∂ℓ/∂α = r/α − w₁ (r+x)/(α+T) + w₂ ∂ln J/∂α;
/// ∂ℓ/∂μ = −w₁ T + w₂ (1/μ + ∂ln J/∂μ).
/// </remarks>
internal sealed class ConstantRateLikelihood(RfmData data) : ILogLikelihood
{
    public int ParameterCount => 3;

    public double TotalWeight => data.TotalWeight;

    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double r = theta[0], alpha = theta[1], mu = theta[2];
        double lnGammaR = MathFn.GammaLn(r), psiR = MathFn.DiGamma(r), lnAlpha = Math.Log(alpha), lnMu = Math.Log(mu);
        double ll = 0, gr = 0, ga = 0, gm = 0;
        for (int i = 0; i < data.Count; i++)
        {
            double x = data.X[i], w = data.Weight[i], T = data.T[i], tx = data.Tx[i], rx = r + x;
            double lnT = Math.Log(alpha + T);
            double a1 = -mu * T - rx * lnT;
            var j = Log(rx, alpha, mu, tx, T);
            if (double.IsNaN(j.Log))
            {
                gradient.Clear();
                return double.NaN;
            }

            double a2 = lnMu + j.Log;
            double logSum = Elementary.LogSumExp(a1, a2);
            double w2 = Math.Exp(a2 - logSum), w1 = 1 - w2;
            ll += w * (MathFn.GammaLn(rx) - lnGammaR + r * lnAlpha + logSum);
            gr += w * (MathFn.DiGamma(rx) - psiR + lnAlpha - w1 * lnT + w2 * j.DR);
            ga += w * (r / alpha - w1 * rx / (alpha + T) + w2 * j.DAlpha);
            gm += w * (-w1 * T + (w2 > 0 ? w2 * (1 / mu + j.DS) : 0));
        }

        gradient[0] = gr;
        gradient[1] = ga;
        gradient[2] = gm;
        return ll;
    }

    /// <summary>ln J and its derivatives by (r, α, μ) (in DR, DAlpha, DS); −∞ when t_x = T.</summary>
    internal static LogIntegral Log(double eAlpha, double alpha, double mu, double tx, double T)
    {
        if (!(T > tx))
        {
            return new LogIntegral(double.NegativeInfinity, 0, 0, 0, 0);
        }

        var g = new Integrand(alpha, eAlpha, mu);
        double lower = Math.Log(alpha + tx), upper = Math.Log(alpha + T);
        var nodes = new List<(double U, double LogWeight)>(128);
        double log = LogQuadrature.LogIntegral(g, lower, upper, g.Mode(lower, upper), nodes);
        if (!double.IsFinite(log))
        {
            return new LogIntegral(double.NaN, 0, 0, 0, 0);
        }

        double dR = 0, dAlpha = 0, dMu = 0;
        foreach (var (v, logWeight) in nodes)
        {
            double w = Math.Exp(logWeight - log);
            dR -= w * v;
            dAlpha -= w * eAlpha * Math.Exp(-v);
            dMu -= w * (Math.Exp(v) - alpha);
        }

        return new LogIntegral(log, dR, dAlpha, dMu, 0);
    }

    /// <summary>ln[e^−μτ (α+τ)^−e_α (α+τ)] at v = ln(α+τ).</summary>
    private readonly struct Integrand(double alpha, double eAlpha, double mu) : ILogIntegrand
    {
        public double Evaluate(double v, out double slope, out double curvature)
        {
            double a = Math.Exp(v);
            slope = 1 - eAlpha - mu * a;
            curvature = -mu * a;
            return (1 - eAlpha) * v - mu * (a - alpha);
        }

        /// <summary>The slope falls with v, so the maximum is the root of the slope or an end.</summary>
        public double Mode(double lower, double upper)
        {
            // 1 − e_α − μ e^v = 0 at v = ln((1 − e_α)/μ) when e_α < 1.
            double root = eAlpha < 1 ? Math.Log((1 - eAlpha) / mu) : double.NegativeInfinity;
            return Math.Clamp(root, lower, upper);
        }
    }
}
