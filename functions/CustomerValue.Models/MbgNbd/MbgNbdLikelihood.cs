using CustomerValue.Models.Fitting;
using CustomerValue.Models.SpecialFunctions;
using MathFn = MathNet.Numerics.SpecialFunctions;

namespace CustomerValue.Models.MbgNbd;

/// <summary>
/// Weighted MBG/NBD log-likelihood (Batislam, Denizel &amp; Filiztekin 2007, appendix A; as corrected by Wagner &amp; Hoppe
/// 2008) over compressed rows, with its analytic gradient.
/// </summary>
/// <remarks>
/// Unlike BG/NBD, a customer may also drop out right after the first purchase. Per row, with A₁ = −(r+x) ln(α+T),
/// A₂ = ln a − ln(b+x) − (r+x) ln(α+t_x) (for every x, also 0) and w₁ = e^A₁/(e^A₁+e^A₂), w₂ = 1 − w₁:
/// ℓ = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x+1) − ln B(a, b) + ln(e^A₁ + e^A₂), and
/// ∂ℓ/∂r = ψ(r+x) − ψ(r) + ln α − w₁ ln(α+T) − w₂ ln(α+t_x);
/// ∂ℓ/∂α = r/α − (r+x) [w₁/(α+T) + w₂/(α+t_x)];
/// ∂ℓ/∂a = ψ(a+b) − ψ(a+b+x+1) + w₂/a;
/// ∂ℓ/∂b = ψ(b+x+1) − ψ(b) + ψ(a+b) − ψ(a+b+x+1) − w₂/(b+x).
/// ln B(a, b+x+1) − ln B(a, b) is taken as two Gamma ratios (exact also for a, b → ∞). Γ/ψ terms once per distinct x,
/// logarithms once per distinct time, fixed chunks summed in a fixed order.
/// </remarks>
internal sealed class MbgNbdLikelihood : ILogLikelihood
{
    private const int ChunkSize = 16_384;
    private readonly RfmData data;
    private readonly double[] constant;
    private readonly double[] dR;
    private readonly double[] dA;
    private readonly double[] dB;
    private readonly double[] logRatio;
    private readonly double[] inverseB;
    private readonly double[] lnAlphaT;
    private readonly double[] invAlphaT;
    private readonly double[] lnAlphaTx;
    private readonly double[] invAlphaTx;

    public MbgNbdLikelihood(RfmData data)
    {
        this.data = data;
        int groups = data.GroupX.Length;
        constant = new double[groups];
        dR = new double[groups];
        dA = new double[groups];
        dB = new double[groups];
        logRatio = new double[groups];
        inverseB = new double[groups];
        lnAlphaT = new double[data.DistinctT.Length];
        invAlphaT = new double[data.DistinctT.Length];
        lnAlphaTx = new double[data.DistinctTx.Length];
        invAlphaTx = new double[data.DistinctTx.Length];
    }

    public int ParameterCount => 4;

    public double TotalWeight => data.TotalWeight;

    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double r = theta[0], alpha = theta[1], a = theta[2], b = theta[3];
        PrepareGroups(r, a, b);
        PrepareTimes(alpha, data.DistinctT, lnAlphaT, invAlphaT);
        PrepareTimes(alpha, data.DistinctTx, lnAlphaTx, invAlphaTx);

        int chunks = (data.Count + ChunkSize - 1) / ChunkSize;
        var partial = new double[chunks * 5];
        if (chunks > 1)
        {
            Parallel.For(0, chunks, c => EvaluateRows(c * ChunkSize, Math.Min(data.Count, (c + 1) * ChunkSize), r, alpha, a, partial.AsSpan(c * 5, 5)));
        }
        else
        {
            EvaluateRows(0, data.Count, r, alpha, a, partial);
        }

        double ll = 0, gr = 0, galpha = 0, ga = 0, gb = 0;
        for (int c = 0; c < chunks; c++)
        {
            ll += partial[c * 5];
            gr += partial[c * 5 + 1];
            galpha += partial[c * 5 + 2];
            ga += partial[c * 5 + 3];
            gb += partial[c * 5 + 4];
        }

        double w = data.TotalWeight;
        double lnAlpha = Math.Log(alpha);
        gradient[0] = gr + w * lnAlpha;
        gradient[1] = galpha + w * r / alpha;
        gradient[2] = ga;
        gradient[3] = gb;
        return ll + w * r * lnAlpha;
    }

    private void PrepareGroups(double r, double a, double b)
    {
        double lnGammaR = MathFn.GammaLn(r), psiR = MathFn.DiGamma(r);
        double psiAB = MathFn.DiGamma(a + b), psiB = MathFn.DiGamma(b);
        for (int g = 0; g < data.GroupX.Length; g++)
        {
            double x = data.GroupX[g];
            double psiABX = MathFn.DiGamma(a + b + x + 1);
            constant[g] = MathFn.GammaLn(r + x) - lnGammaR + GammaRatio.Log(b, x + 1) - GammaRatio.Log(a + b, x + 1);
            dR[g] = MathFn.DiGamma(r + x) - psiR;
            dA[g] = psiAB - psiABX;
            dB[g] = MathFn.DiGamma(b + x + 1) - psiB + psiAB - psiABX;
            logRatio[g] = Math.Log(a / (b + x));
            inverseB[g] = 1.0 / (b + x);
        }
    }

    private static void PrepareTimes(double alpha, double[] times, double[] logs, double[] inverses)
    {
        for (int k = 0; k < times.Length; k++)
        {
            logs[k] = Math.Log(alpha + times[k]);
            inverses[k] = 1.0 / (alpha + times[k]);
        }
    }

    private void EvaluateRows(int from, int to, double r, double alpha, double a, Span<double> sums)
    {
        double[] xs = data.X, ws = data.Weight;
        int[] groups = data.Group, tIndex = data.TIndex, txIndex = data.TxIndex;
        double ll = 0, gr = 0, galpha = 0, ga = 0, gb = 0;
        double inverseA = 1.0 / a;
        for (int i = from; i < to; i++)
        {
            int g = groups[i];
            double w = ws[i], rx = r + xs[i];
            int ti = tIndex[i];
            double lnT = lnAlphaT[ti];
            double a1 = -rx * lnT;
            int xi = txIndex[i];
            double lnTx = lnAlphaTx[xi];
            double a2 = logRatio[g] - rx * lnTx;
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

            ll += w * (constant[g] + logSum);
            gr += w * (dR[g] - w1 * lnT - w2 * lnTx);
            galpha -= w * rx * (w1 * invAlphaT[ti] + w2 * invAlphaTx[xi]);
            ga += w * (dA[g] + w2 * inverseA);
            gb += w * (dB[g] - w2 * inverseB[g]);
        }

        sums[0] = ll;
        sums[1] = gr;
        sums[2] = galpha;
        sums[3] = ga;
        sums[4] = gb;
    }
}
