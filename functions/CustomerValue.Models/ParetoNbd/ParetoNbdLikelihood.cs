using CustomerValue.Models.Fitting;
using MathFn = MathNet.Numerics.SpecialFunctions;

namespace CustomerValue.Models.ParetoNbd;

/// <summary>
/// Weighted Pareto/NBD log-likelihood (note 009 eq. 18) over compressed rows with its analytic gradient.
/// </summary>
/// <remarks>
/// <para>
/// The note's A₀ term is s/(r+s+x) · A₀ = s · I with I = ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ (the probability of
/// dying at τ after the last purchase, integrated over the Gamma mixing). Write P = max(α, β), Q = min(α, β), e_P and
/// e_Q the exponents of (P+τ) and (Q+τ), M = r+s+x = e_P+e_Q−1, u = P+τ, z = (P−Q)/u &lt; 1. Expanding
/// (1−z)^−e_Q = Σ (e_Q)_n zⁿ/n! and integrating term by term gives I = Φ(P+t_x) − Φ(P+T) with
/// Φ(u) = u^−M Σ_n (e_Q)_n/n! zⁿ/(M+n) = u^−M 2F1(M, e_Q; M+1; z)/M — the note's eqs. (19)/(20).
/// </para>
/// <para>
/// The same series differentiated term by term gives the exact gradient (h_n = Σ_{k&lt;n} 1/(e_Q+k)):
/// ∂I/∂e_P = −[H]; ∂I/∂e_Q = [u^−M Σ c_n zⁿ h_n/(M+n)] − [H], H(u) = u^−M Σ c_n zⁿ (ln u/(M+n) + 1/(M+n)²);
/// ∂I/∂P = −e_P [u^−(M+1) Σ c_n zⁿ/(M+1+n)]; ∂I/∂Q = −e_Q [u^−(M+1) Σ (e_Q+1)_n/n! zⁿ/(M+1+n)],
/// [F] meaning F(P+t_x) − F(P+T). All five sums share one loop over n for both end points; they converge like
/// zⁿ with z ≤ 1 − Q/P. Everything is scaled by (P+t_x)^M to avoid under/overflow for large x.
/// </para>
/// </remarks>
internal sealed class ParetoNbdLikelihood : ILogLikelihood
{
    private const int MaxTerms = 200_000;
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

        double w = data.TotalWeight, lnAlpha = Math.Log(alpha), lnBeta = Math.Log(beta);
        gradient[0] = gr + w * lnAlpha;
        gradient[1] = ga + w * r / alpha;
        gradient[2] = gs + w * lnBeta;
        gradient[3] = gb + w * s / beta;
        return ll + w * (r * lnAlpha + s * lnBeta);
    }

    private void EvaluateRows(int from, int to, double r, double alpha, double s, double beta, Span<double> sums)
    {
        double ll = 0, gr = 0, ga = 0, gs = 0, gb = 0;
        bool alphaIsBig = alpha >= beta;
        double big = Math.Max(alpha, beta), d = Math.Abs(alpha - beta);
        for (int i = from; i < to; i++)
        {
            double x = data.X[i], tx = data.Tx[i], T = data.T[i], w = data.Weight[i];
            int g = data.Group[i];
            double eP = alphaIsBig ? r + x : s + 1;
            double eQ = alphaIsBig ? s + 1 : r + x;
            double m = r + s + x;
            double u1 = big + tx, u2 = big + T;
            double lnU1 = Math.Log(u1), lnU2 = Math.Log(u2);
            if (!Series(m, eQ, d / u1, d / u2, out var s1, out var s2))
            {
                sums[0] = double.NaN;
                return;
            }

            // Scale: everything below is multiplied by u1^M.
            double f2 = Math.Exp(-m * (lnU2 - lnU1));
            double integral = s1.S0 - f2 * s2.S0;
            double h = lnU1 * s1.S0 + s1.S1 - f2 * (lnU2 * s2.S0 + s2.S1);
            double dEP = -h;
            double dEQ = s1.S2 - f2 * s2.S2 - h;
            double dP = -eP * (s1.S3 / u1 - f2 * s2.S3 / u2);
            double dQ = -eQ * (s1.S4 / u1 - f2 * s2.S4 / u2);
            double dR = alphaIsBig ? dEP : dEQ, dS = alphaIsBig ? dEQ : dEP;
            double dAlpha = alphaIsBig ? dP : dQ, dBeta = alphaIsBig ? dQ : dP;

            double lnAT = Math.Log(alpha + T), lnBT = Math.Log(beta + T);
            double e1 = Math.Exp(-(r + x) * lnAT - s * lnBT + m * lnU1);
            double total = e1 + s * integral;
            double inv = 1.0 / total;
            ll += w * (lnGammaRx[g] - m * lnU1 + Math.Log(total));
            gr += w * (psiRx[g] + (-e1 * lnAT + s * dR) * inv);
            ga += w * ((-e1 * (r + x) / (alpha + T) + s * dAlpha) * inv);
            gs += w * ((-e1 * lnBT + integral + s * dS) * inv);
            gb += w * ((-e1 * s / (beta + T) + s * dBeta) * inv);
        }

        sums[0] = ll;
        sums[1] = gr;
        sums[2] = ga;
        sums[3] = gs;
        sums[4] = gb;
    }

    private readonly record struct Sums(double S0, double S1, double S2, double S3, double S4);

    /// <summary>The five sums of the remarks at z1 ≥ z2 (both end points share the coefficients). False if not converged.</summary>
    private static bool Series(double m, double eQ, double z1, double z2, out Sums at1, out Sums at2)
    {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0;
        double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0;
        double c = 1, cNext = 1, harmonic = 0, p1 = 1, p2 = 1;
        for (int n = 0; n < MaxTerms; n++)
        {
            double inv0 = 1.0 / (m + n), inv1 = 1.0 / (m + 1 + n);
            double t1 = c * p1, t2 = c * p2;
            a0 += t1 * inv0;
            a1 += t1 * inv0 * inv0;
            a2 += t1 * harmonic * inv0;
            a3 += t1 * inv1;
            a4 += cNext * p1 * inv1;
            b0 += t2 * inv0;
            b1 += t2 * inv0 * inv0;
            b2 += t2 * harmonic * inv0;
            b3 += t2 * inv1;
            b4 += cNext * p2 * inv1;

            double ratio = z1 * (eQ + 1 + n) / (n + 1.0);
            double tail = cNext * p1 * (1 + harmonic) * inv0;
            if (ratio < 1 && tail <= 1e-17 * (1 - ratio) * a1)
            {
                at1 = new Sums(a0, a1, a2, a3, a4);
                at2 = new Sums(b0, b1, b2, b3, b4);
                return true;
            }

            harmonic += 1.0 / (eQ + n);
            c *= (eQ + n) / (n + 1.0);
            cNext *= (eQ + 1 + n) / (n + 1.0);
            p1 *= z1;
            p2 *= z2;
            if (p1 == 0)
            {
                at1 = new Sums(a0, a1, a2, a3, a4);
                at2 = new Sums(b0, b1, b2, b3, b4);
                return true;
            }
        }

        at1 = default;
        at2 = default;
        return false;
    }
}
