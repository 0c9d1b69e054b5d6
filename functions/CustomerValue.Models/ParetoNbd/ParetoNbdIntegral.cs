using CustomerValue.Models.SpecialFunctions;

namespace CustomerValue.Models.ParetoNbd;

/// <summary>ln(β^s I) and its gradient, I the drop-out integral of the Pareto/NBD likelihood (see <see cref="ParetoNbdIntegral"/>).</summary>
/// <param name="Log">ln(β^s I) (−∞ when t_x = T).</param>
/// <param name="DR">∂/∂r of it.</param>
/// <param name="DAlpha">∂/∂α of it.</param>
/// <param name="DS">∂/∂s of it.</param>
/// <param name="DBeta">∂/∂β of it.</param>
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
/// The series needs about 40/(−ln z) terms; when v/u at t_x is below 10 % (Q small against P) it would need hundreds, and
/// the integral and its four derivative integrals (∫ ln(α+τ) f, ∫ f/(α+τ), …) are taken instead by
/// <see cref="LogQuadrature"/> in τ. Both ways agree to 1e-12 (ParetoNbdIntegralTests).
/// </para>
/// <para>
/// What is returned is ln(β^s I): the factor β^s of the likelihood is folded in as −s ln(1 + τ/β), so the result stays
/// accurate when the fit runs off towards s, β → ∞ (a common drop-out rate s/β), where s ln β and s ln(β+τ) are both
/// huge and their difference is not.
/// </para>
/// </remarks>
internal static class ParetoNbdIntegral
{
    private const int MaxTerms = 20_000;
    private const double QuadratureBelow = 0.1;

    /// <summary>ln(β^s I) and its derivatives by r, α, s, β for one customer.</summary>
    public static LogIntegral Evaluate(double r, double alpha, double s, double beta, double x, double tx, double T)
    {
        if (!(T > tx))
        {
            return new LogIntegral(double.NegativeInfinity, 0, 0, 0, 0);
        }

        double p = Math.Max(alpha, beta), q = Math.Min(alpha, beta);
        var g = (q + tx) / (p + tx) < QuadratureBelow
            ? Quadrature(r + x, alpha, s, beta, tx, T)
            : Series(r + x, alpha, s, beta, tx, T);
        return double.IsNaN(g.Log) ? Quadrature(r + x, alpha, s, beta, tx, T) : g;
    }

    /// <summary>The Euler-transformed series (see the remarks), with e_α = r + x.</summary>
    internal static LogIntegral Series(double eAlpha, double alpha, double s, double beta, double tx, double T)
    {
        bool alphaIsBig = alpha >= beta;
        double p = alphaIsBig ? alpha : beta, q = alphaIsBig ? beta : alpha;
        double eP = alphaIsBig ? eAlpha : s + 1, eQ = alphaIsBig ? s + 1 : eAlpha;
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

        var at1 = End(tx, s1, a1, b1, c1);
        var at2 = End(T, s2, a2, b2, c2);
        double rho = Math.Exp(at2.Log - at1.Log);
        if (!(rho < 1))
        {
            return new LogIntegral(double.NegativeInfinity, 0, 0, 0, 0);
        }

        double k = 1 / (1 - rho);
        return new LogIntegral(
            Elementary.LogDiffExp(at1.Log, at2.Log),
            k * (at1.DR - rho * at2.DR),
            k * (at1.DAlpha - rho * at2.DAlpha),
            k * (at1.DS - rho * at2.DS),
            k * (at1.DBeta - rho * at2.DBeta));

        // ln(β^s Φ(τ)) and its derivatives from the sums at τ (S, Σ dₙzⁿ(Hᴾ−Hᴹ), Σ dₙzⁿHᴹ, S′).
        LogIntegral End(double tau, double sum, double sumP, double sumM, double sumZ)
        {
            double u = p + tau, v = q + tau, z = (p - q) / u;
            double lnA = Math.Log(alpha + tau), betaScaled = -s * Elementary.Log1P(tau / beta);
            double byEP = sumP / sum, byEQ = -sumM / sum, byZ = sumZ / sum;
            double byP = byZ * v / (u * u), byQ = -byZ / u;
            double dBetaScale = s * tau / (beta * (beta + tau)); // ∂/∂β of −s ln(1 + τ/β)
            if (alphaIsBig)
            {
                // Φ = (α+τ)^−e_α (β+τ)^−s S(z): the β power is entirely the scaled factor.
                double log = -eAlpha * lnA + betaScaled + Math.Log(sum);
                return new LogIntegral(log, -lnA + byEP, -eAlpha / u + byP, -Elementary.Log1P(tau / beta) + byEQ, dBetaScale + byQ);
            }

            // Φ = (β+τ)^−(s+1) (α+τ)^(1−e_α) S(z).
            double logB = betaScaled - Math.Log(beta + tau) + (1 - eAlpha) * lnA + Math.Log(sum);
            return new LogIntegral(logB, -lnA + byEQ, (1 - eAlpha) / v + byQ, -Elementary.Log1P(tau / beta) + byEP, dBetaScale - 1 / u + byP);
        }
    }

    /// <summary>
    /// Direct quadrature of f = (α+τ)^−e_α β^s (β+τ)^−(s+1) and its derivative integrals, in v = ln(α+τ)
    /// (dτ = (α+τ) dv), where the dominant power is nearly an exponential and a few panels cover [t_x, T].
    /// </summary>
    internal static LogIntegral Quadrature(double eAlpha, double alpha, double s, double beta, double tx, double T)
    {
        var g = new Integrand(alpha, beta, eAlpha, s);
        double lower = Math.Log(alpha + tx), upper = Math.Log(alpha + T);
        var nodes = new List<(double U, double LogWeight)>(128);
        double log = LogQuadrature.LogIntegral(g, lower, upper, g.Mode(lower, upper), nodes);
        if (!double.IsFinite(log))
        {
            return new LogIntegral(double.NaN, 0, 0, 0, 0);
        }

        double dR = 0, dAlpha = 0, dS = 0, dBeta = 0;
        foreach (var (v, logWeight) in nodes)
        {
            double w = Math.Exp(logWeight - log), tau = Math.Exp(v) - alpha;
            dR -= w * v;
            dAlpha -= w * eAlpha * Math.Exp(-v);
            dS -= w * Elementary.Log1P(tau / beta);
            dBeta += w * (s * tau / (beta * (beta + tau)) - 1 / (beta + tau));
        }

        return new LogIntegral(log, dR, dAlpha, dS, dBeta);
    }

    /// <summary>ln[f(τ) (α+τ)] at v = ln(α+τ): (1 − e_α) v − s ln(1 + τ/β) − ln(β+τ).</summary>
    private readonly struct Integrand(double alpha, double beta, double eAlpha, double s) : ILogIntegrand
    {
        public double Evaluate(double v, out double slope, out double curvature)
        {
            double a = Math.Exp(v), tau = a - alpha, ib = 1 / (beta + tau);
            slope = 1 - eAlpha - (s + 1) * a * ib;
            curvature = -(s + 1) * a * ib * (1 - a * ib);
            return (1 - eAlpha) * v - s * Elementary.Log1P(tau / beta) - Math.Log(beta + tau);
        }

        /// <summary>The largest of the end values and an interior root of the slope, if the slope changes sign.</summary>
        public double Mode(double lower, double upper)
        {
            double slopeLow = Slope(lower), slopeHigh = Slope(upper);
            if (slopeLow > 0 && slopeHigh < 0)
            {
                double lo = lower, hi = upper;
                for (int i = 0; i < 100 && hi - lo > 1e-14 * Math.Max(1, Math.Abs(hi)); i++)
                {
                    double mid = 0.5 * (lo + hi);
                    if (Slope(mid) > 0)
                    {
                        lo = mid;
                    }
                    else
                    {
                        hi = mid;
                    }
                }

                return 0.5 * (lo + hi);
            }

            return Evaluate(lower, out _, out _) >= Evaluate(upper, out _, out _) ? lower : upper;
        }

        private double Slope(double v)
        {
            Evaluate(v, out double slope, out _);
            return slope;
        }
    }
}
