using CustomerValue.Models.SpecialFunctions;

namespace CustomerValue.Models.ParetoNbd;

/// <summary>ln I and its gradient, I the drop-out integral of the Pareto/NBD likelihood (see <see cref="ParetoNbdIntegral"/>).</summary>
/// <param name="Log">ln I (−∞ when t_x = T).</param>
/// <param name="DR">∂ ln I / ∂r.</param>
/// <param name="DAlpha">∂ ln I / ∂α.</param>
/// <param name="DS">∂ ln I / ∂s.</param>
/// <param name="DBeta">∂ ln I / ∂β.</param>
internal readonly record struct LogIntegral(double Log, double DR, double DAlpha, double DS, double DBeta);

/// <summary>
/// I = ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ, so that the note's s/(r+s+x) · A₀ = s · I (Fader &amp; Hardie 2005,
/// note 009, eqs. 18–20): the chance of dropping out at τ after the last purchase, integrated over the Gamma mixing.
/// Computed in logs with its exact gradient, for any x (no overflow for heavy buyers).
/// </summary>
/// <remarks>
/// <para>
/// Write P = max(α, β), Q = min(α, β), e_P and e_Q the exponents of (P+τ) and (Q+τ), M = e_P + e_Q − 1, u = P+τ,
/// v = Q+τ and z = (P−Q)/u = 1 − v/u. Then I = Φ(t_x) − Φ(T) with the antiderivative (note 009 eqs. 19/20)
/// Φ = u^−M 2F1(M, e_Q; M+1; z)/M. Euler's transformation (Abramowitz &amp; Stegun 15.3.3) turns the 2F1 into
/// (1−z)^(1−e_Q) 2F1(1, e_P; M+1; z), hence Φ = u^−e_P v^(1−e_Q) S(z), S(z) = Σₙ dₙ zⁿ, dₙ = (e_P)ₙ / (M)ₙ₊₁.
/// Unlike the original series, whose terms (e_Q)ₙ/n! zⁿ grow like n^(e_Q−1) zⁿ and whose sum (1−z)^−e_Q overflows
/// when e_Q = r + x is in the hundreds, these terms fall at least like zⁿ from the first one; the powers are taken in
/// logs. Differentiating term by term (Hᴾₙ = Σ_{k&lt;n} 1/(e_P+k), Hᴹₙ = Σ_{k≤n} 1/(M+k)):
/// ∂ln Φ/∂e_P = −ln u + Σ dₙzⁿ(Hᴾₙ − Hᴹₙ)/S; ∂ln Φ/∂e_Q = −ln v − Σ dₙzⁿHᴹₙ/S;
/// ∂ln Φ/∂P = −e_P/u + (S′/S) v/u²; ∂ln Φ/∂Q = (1−e_Q)/v − (S′/S)/u; and with ρ = Φ(T)/Φ(t_x),
/// ∂ln I = (∂ln Φ(t_x) − ρ ∂ln Φ(T)) / (1 − ρ).
/// </para>
/// <para>
/// The series needs about 40/(−ln z) terms; when v/u at t_x is below 2 % (Q tiny against P) it would need thousands, and
/// the integral and its four derivative integrals (∫ ln(α+τ) f, ∫ f/(α+τ), …) are taken instead by
/// <see cref="LogQuadrature"/> in τ. Both ways agree to 1e-13 (ParetoNbdIntegralTests).
/// </para>
/// </remarks>
internal static class ParetoNbdIntegral
{
    private const int MaxTerms = 20_000;
    private const double QuadratureBelow = 0.02;

    /// <summary>ln I and ∂ln I/∂(r, α, s, β) for one customer.</summary>
    public static LogIntegral Evaluate(double r, double alpha, double s, double beta, double x, double tx, double T)
    {
        if (!(T > tx))
        {
            return new LogIntegral(double.NegativeInfinity, 0, 0, 0, 0);
        }

        bool alphaIsBig = alpha >= beta;
        double p = alphaIsBig ? alpha : beta, q = alphaIsBig ? beta : alpha;
        double eP = alphaIsBig ? r + x : s + 1, eQ = alphaIsBig ? s + 1 : r + x;
        var g = (q + tx) / (p + tx) < QuadratureBelow
            ? Quadrature(alpha, beta, r + x, s + 1, tx, T, alphaIsBig)
            : Series(p, q, eP, eQ, tx, T);
        if (double.IsNaN(g.Log))
        {
            g = Quadrature(alpha, beta, r + x, s + 1, tx, T, alphaIsBig);
        }

        // g holds derivatives with respect to (e_P, P, e_Q, Q); map them to (r, α, s, β).
        return alphaIsBig ? g : new LogIntegral(g.Log, g.DS, g.DBeta, g.DR, g.DAlpha);
    }

    /// <summary>The Euler-transformed series; the result's (DR, DAlpha, DS, DBeta) are the derivatives by (e_P, P, e_Q, Q).</summary>
    internal static LogIntegral Series(double p, double q, double eP, double eQ, double tx, double T)
    {
        double m = eP + eQ - 1;
        double u1 = p + tx, u2 = p + T, v1 = q + tx, v2 = q + T;
        double z1 = (p - q) / u1, z2 = (p - q) / u2;
        double s1 = 0, a1 = 0, b1 = 0, c1 = 0, s2 = 0, a2 = 0, b2 = 0, c2 = 0;
        double d = 1 / m, hp = 0, hm = 1 / m, pz1 = 1, pz2 = 1, prev1 = 0, prev2 = 0;
        bool converged = false;
        for (int n = 0; n < MaxTerms; n++)
        {
            double t1 = d * pz1, t2 = d * pz2;
            s1 += t1;
            a1 += t1 * (hp - hm);
            b1 += t1 * hm;
            c1 += n * d * prev1;
            s2 += t2;
            a2 += t2 * (hp - hm);
            b2 += t2 * hm;
            c2 += n * d * prev2;

            // Later ratios of the n-weighted terms (the largest) stay below this bound.
            double weighted = z1 * (n + 2.0) / (n + 1) * (eP + n) / (m + n + 1);
            if (t1 == 0 || (weighted < 1 && t1 * Math.Max(1, n + 1) <= 1e-17 * (1 - weighted) * s1))
            {
                converged = true;
                break;
            }

            d *= (eP + n) / (m + n + 1);
            hp += 1 / (eP + n);
            hm += 1 / (m + n + 1);
            prev1 = pz1;
            prev2 = pz2;
            pz1 *= z1;
            pz2 *= z2;
        }

        if (!converged)
        {
            return new LogIntegral(double.NaN, 0, 0, 0, 0);
        }

        double lnU1 = Math.Log(u1), lnU2 = Math.Log(u2), lnV1 = Math.Log(v1), lnV2 = Math.Log(v2);
        double log1 = -eP * lnU1 + (1 - eQ) * lnV1 + Math.Log(s1);
        double log2 = -eP * lnU2 + (1 - eQ) * lnV2 + Math.Log(s2);
        double rho = Math.Exp(log2 - log1);
        if (!(rho < 1))
        {
            return new LogIntegral(double.NegativeInfinity, 0, 0, 0, 0);
        }

        double logI = Elementary.LogDiffExp(log1, log2);
        double k = 1 / (1 - rho);
        double dEP = k * ((-lnU1 + a1 / s1) - rho * (-lnU2 + a2 / s2));
        double dEQ = k * ((-lnV1 - b1 / s1) - rho * (-lnV2 - b2 / s2));
        double dP = k * ((-eP / u1 + c1 / s1 * v1 / (u1 * u1)) - rho * (-eP / u2 + c2 / s2 * v2 / (u2 * u2)));
        double dQ = k * (((1 - eQ) / v1 - c1 / s1 / u1) - rho * ((1 - eQ) / v2 - c2 / s2 / u2));
        return new LogIntegral(logI, dEP, dP, dEQ, dQ);
    }

    /// <summary>Direct quadrature in τ; the result's derivatives are by (r, α, s, β) arranged as the caller expects.</summary>
    internal static LogIntegral Quadrature(double alpha, double beta, double eAlpha, double eBeta, double tx, double T, bool alphaIsBig)
    {
        var nodes = new List<(double U, double LogWeight)>(256);
        double log = LogQuadrature.LogIntegral(new Integrand(alpha, beta, eAlpha, eBeta), tx, T, tx, nodes);
        if (!double.IsFinite(log))
        {
            return new LogIntegral(double.NaN, 0, 0, 0, 0);
        }

        double dEAlpha = 0, dEBeta = 0, dAlpha = 0, dBeta = 0;
        foreach (var (tau, logWeight) in nodes)
        {
            double w = Math.Exp(logWeight - log);
            dEAlpha -= w * Math.Log(alpha + tau);
            dEBeta -= w * Math.Log(beta + tau);
            dAlpha -= w * eAlpha / (alpha + tau);
            dBeta -= w * eBeta / (beta + tau);
        }

        // Arrange as (e_P, P, e_Q, Q) so that Evaluate's mapping applies to both methods.
        return alphaIsBig
            ? new LogIntegral(log, dEAlpha, dAlpha, dEBeta, dBeta)
            : new LogIntegral(log, dEBeta, dBeta, dEAlpha, dAlpha);
    }

    /// <summary>ln f(τ) = −e_α ln(α+τ) − e_β ln(β+τ), decreasing in τ.</summary>
    private readonly struct Integrand(double alpha, double beta, double eAlpha, double eBeta) : ILogIntegrand
    {
        public double Evaluate(double u, out double slope, out double curvature)
        {
            double ia = 1 / (alpha + u), ib = 1 / (beta + u);
            slope = -eAlpha * ia - eBeta * ib;
            curvature = eAlpha * ia * ia + eBeta * ib * ib;
            return -eAlpha * Math.Log(alpha + u) - eBeta * Math.Log(beta + u);
        }
    }
}
