using CustomerValue.Models.Fitting;
using MathFn = MathNet.Numerics.SpecialFunctions;

namespace CustomerValue.Models.GammaGamma;

/// <summary>
/// Weighted Gamma-Gamma log-likelihood (note 025 eq. 1a) over unique (x, m) rows with its analytic gradient:
/// ∂ℓ/∂p = x [ψ(px+q) − ψ(px) + ln m + ln x − ln(γ+mx)]; ∂ℓ/∂q = ψ(px+q) − ψ(q) + ln γ − ln(γ+mx);
/// ∂ℓ/∂γ = q/γ − (px+q)/(γ+mx). Γ and ψ terms are computed once per distinct x.
/// </summary>
internal sealed class GammaGammaLikelihood : ILogLikelihood
{
    private const int ChunkSize = 16_384;
    private readonly double[] x;
    private readonly double[] m;
    private readonly double[] lnM;
    private readonly double[] weight;
    private readonly int[] group;
    private readonly double[] groupX;
    private readonly double[] groupConstant;
    private readonly double[] groupDp;
    private readonly double[] groupPsiSum;

    public GammaGammaLikelihood(double[] x, double[] m, double[] weight)
    {
        this.x = x;
        this.m = m;
        this.weight = weight;
        // Loops and the ranking the fit already uses, not LINQ over double: that is JIT-compiled in every fresh process.
        lnM = new double[m.Length];
        double total = 0;
        for (int k = 0; k < m.Length; k++)
        {
            lnM[k] = Math.Log(m[k]);
            total += weight[k];
        }

        TotalWeight = total;
        var ranked = RankedColumn.Of(x);
        groupX = ranked.Values;
        group = ranked.Rank;
        groupConstant = new double[groupX.Length];
        groupDp = new double[groupX.Length];
        groupPsiSum = new double[groupX.Length];
    }

    public int ParameterCount => 3;

    public double TotalWeight { get; }

    public double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double p = theta[0], q = theta[1], v = theta[2];
        double lnV = Math.Log(v), psiQ = MathFn.DiGamma(q), lnGammaQ = MathFn.GammaLn(q);
        for (int g = 0; g < groupX.Length; g++)
        {
            double px = p * groupX[g];
            double psiSum = MathFn.DiGamma(px + q);
            groupConstant[g] = MathFn.GammaLn(px + q) - MathFn.GammaLn(px) - lnGammaQ + q * lnV + px * Math.Log(groupX[g]);
            groupDp[g] = psiSum - MathFn.DiGamma(px) + Math.Log(groupX[g]);
            groupPsiSum[g] = psiSum;
        }

        // Fixed chunks summed in a fixed order: parallel, yet the same result on every run.
        int chunks = (x.Length + ChunkSize - 1) / ChunkSize;
        var partial = new double[chunks * 4];
        if (chunks > 1)
        {
            Parallel.For(0, chunks, c => EvaluateRows(c * ChunkSize, Math.Min(x.Length, (c + 1) * ChunkSize), p, q, v, lnV, psiQ, partial.AsSpan(c * 4, 4)));
        }
        else
        {
            EvaluateRows(0, x.Length, p, q, v, lnV, psiQ, partial);
        }

        double ll = 0, gp = 0, gq = 0, gv = 0;
        for (int c = 0; c < chunks; c++)
        {
            ll += partial[c * 4];
            gp += partial[c * 4 + 1];
            gq += partial[c * 4 + 2];
            gv += partial[c * 4 + 3];
        }

        gradient[0] = gp;
        gradient[1] = gq;
        gradient[2] = gv;
        return ll;
    }

    private void EvaluateRows(int from, int to, double p, double q, double v, double lnV, double psiQ, Span<double> sums)
    {
        double ll = 0, gp = 0, gq = 0, gv = 0;
        for (int i = from; i < to; i++)
        {
            int g = group[i];
            double w = weight[i], px = p * x[i], denominator = v + m[i] * x[i];
            double lnDenominator = Math.Log(denominator);
            ll += w * (groupConstant[g] + (px - 1) * lnM[i] - (px + q) * lnDenominator);
            gp += w * x[i] * (groupDp[g] + lnM[i] - lnDenominator);
            gq += w * (groupPsiSum[g] - psiQ + lnV - lnDenominator);
            gv += w * (q / v - (px + q) / denominator);
        }

        sums[0] = ll;
        sums[1] = gp;
        sums[2] = gq;
        sums[3] = gv;
    }
}
