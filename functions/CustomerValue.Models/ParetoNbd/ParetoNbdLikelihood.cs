using CustomerValue.Models.Fitting;
using CustomerValue.Models.SpecialFunctions;
using MathFn = MathNet.Numerics.SpecialFunctions;

namespace CustomerValue.Models.ParetoNbd;

/// <summary>
/// Weighted Pareto/NBD log-likelihood (note 009 eq. 18) over compressed rows with its analytic gradient.
/// </summary>
/// <remarks>
/// Per row, with A₁ = −(r+x) ln(α+T) − s ln(1 + T/β) (alive throughout, times β^s) and A₂ = ln s + ln(β^s I)
/// (dropped out after t_x; β^s I from <see cref="ParetoNbdIntegral"/>, in logs and with its exact gradient),
/// ℓ = ln Γ(r+x) − ln Γ(r) + r ln α + ln(e^A₁ + e^A₂). With w₁ = e^A₁/(e^A₁+e^A₂) and w₂ = 1 − w₁:
/// ∂ℓ/∂r = ψ(r+x) − ψ(r) + ln α − w₁ ln(α+T) + w₂ ∂A₂/∂r; ∂ℓ/∂α = r/α − w₁ (r+x)/(α+T) + w₂ ∂A₂/∂α;
/// ∂ℓ/∂s = −w₁ ln(1 + T/β) + w₂ (1/s + ∂ln(β^s I)/∂s); ∂ℓ/∂β = w₁ sT/(β(β+T)) + w₂ ∂ln(β^s I)/∂β.
/// Every power is taken in logs and β^s is folded into the (β+τ) powers as −s ln(1 + τ/β), so heavy buyers (x in the
/// thousands) do not overflow and a fit running off towards s, β → ∞ keeps an accurate likelihood.
/// Large inputs are split into fixed chunks summed in a fixed order (deterministic results).
/// </remarks>
internal sealed class ParetoNbdLikelihood : ILogLikelihood
{
    private const int ChunkSize = 8_192;
    private readonly RfmData data;
    private readonly double[] lnGammaRx;
    private readonly double[] psiRx;

    public ParetoNbdLikelihood(RfmData data)
    {
        this.data = data;
        lnGammaRx = new double[data.GroupX.Length];
        psiRx = new double[data.GroupX.Length];
    }

    public int ParameterCount => 4;

    public double TotalWeight => data.TotalWeight;

    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double r = theta[0], alpha = theta[1], s = theta[2], beta = theta[3];
        double lnGammaR = MathFn.GammaLn(r), psiR = MathFn.DiGamma(r);
        for (int g = 0; g < data.GroupX.Length; g++)
        {
            lnGammaRx[g] = MathFn.GammaLn(r + data.GroupX[g]) - lnGammaR;
            psiRx[g] = MathFn.DiGamma(r + data.GroupX[g]) - psiR;
        }

        int chunks = (data.Count + ChunkSize - 1) / ChunkSize;
        var partial = new double[chunks * 5];
        if (chunks > 1)
        {
            Parallel.For(0, chunks, c => EvaluateRows(c * ChunkSize, Math.Min(data.Count, (c + 1) * ChunkSize), r, alpha, s, beta, partial.AsSpan(c * 5, 5)));
        }
        else
        {
            EvaluateRows(0, data.Count, r, alpha, s, beta, partial);
        }

        double ll = 0, gr = 0, ga = 0, gs = 0, gb = 0;
        for (int c = 0; c < chunks; c++)
        {
            ll += partial[c * 5];
            gr += partial[c * 5 + 1];
            ga += partial[c * 5 + 2];
            gs += partial[c * 5 + 3];
            gb += partial[c * 5 + 4];
        }

        double w = data.TotalWeight, lnAlpha = Math.Log(alpha);
        gradient[0] = gr + w * lnAlpha;
        gradient[1] = ga + w * r / alpha;
        gradient[2] = gs;
        gradient[3] = gb;
        return ll + w * r * lnAlpha;
    }

    private void EvaluateRows(int from, int to, double r, double alpha, double s, double beta, Span<double> sums)
    {
        double ll = 0, gr = 0, ga = 0, gs = 0, gb = 0;
        double lnS = Math.Log(s);
        for (int i = from; i < to; i++)
        {
            double x = data.X[i], tx = data.Tx[i], T = data.T[i], w = data.Weight[i];
            int g = data.Group[i];
            double lnAT = Math.Log(alpha + T), lnBT = Elementary.Log1P(T / beta);
            double a1 = -(r + x) * lnAT - s * lnBT;
            var integral = ParetoNbdIntegral.Evaluate(r, alpha, s, beta, x, tx, T);
            if (double.IsNaN(integral.Log))
            {
                sums[0] = double.NaN;
                return;
            }

            double a2 = lnS + integral.Log;
            double w1, w2, logSum;
            if (a1 >= a2)
            {
                double e = Math.Exp(a2 - a1);
                logSum = a1 + Math.Log(1 + e);
                w2 = e / (1 + e);
                w1 = 1 - w2;
            }
            else
            {
                double e = Math.Exp(a1 - a2);
                logSum = a2 + Math.Log(1 + e);
                w1 = e / (1 + e);
                w2 = 1 - w1;
            }

            ll += w * (lnGammaRx[g] + logSum);
            gr += w * (psiRx[g] - w1 * lnAT + w2 * integral.DR);
            ga += w * (-w1 * (r + x) / (alpha + T) + w2 * integral.DAlpha);
            gs += w * (-w1 * lnBT + w2 * (1 / s + integral.DS));
            gb += w * (w1 * s * T / (beta * (beta + T)) + w2 * integral.DBeta);
        }

        sums[0] = ll;
        sums[1] = gr;
        sums[2] = ga;
        sums[3] = gs;
        sums[4] = gb;
    }
}
