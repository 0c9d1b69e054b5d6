using MathFn = MathNet.Numerics.SpecialFunctions;

namespace CustomerValue.Models.SpecialFunctions;

/// <summary>
/// The Gauss hypergeometric function 2F1(a, b; c; z) for real a, b, c and real z &lt; 1 (MathNet.Numerics has none for
/// real arguments), computed in log space so that it neither overflows nor hangs for parameters in the millions or z
/// near 1.
/// </summary>
/// <remarks>
/// <para>
/// Method. z &lt; 0 is first mapped into (0, 1) by Pfaff's transformation (Abramowitz &amp; Stegun 15.3.4/15.3.5),
/// 2F1(a,b;c;z) = (1−z)^−a 2F1(a, c−b; c; z/(z−1)). For 0 &lt; z &lt; 1 two series represent the function: the
/// defining one (A&amp;S 15.1.1) Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ and Euler's transformation (A&amp;S 15.3.3)
/// (1−z)^(c−a−b) 2F1(c−a, c−b; c; z). For parameters up to 100 and z ≤ 0.99 the one whose terms decay from the start
/// is taken (Euler's when a + b &gt; c); otherwise the cheaper of the two (fewer terms before the term ratio falls below
/// one, preferring series without sign changes). It is summed by the term recurrence with a running scale (factors of 1e280 moved into a
/// logarithm), so sums beyond the double range are fine. The sum stops when a rigorous geometric bound on the tail,
/// |tₙ| ρ̄/(1 − ρ̄) with ρ̄ = |z| max((a+n)/(n+1), 1) max((b+n)/(c+n), 1) ≥ every later term ratio, is below
/// 1.1e-16 of the sum.
/// </para>
/// <para>
/// When the cheaper series would need more than <see cref="SeriesBudget"/> terms (parameters in the thousands and more,
/// or z within about 1e-3 of 1), Euler's integral (A&amp;S 15.3.1)
/// 2F1(a,b;c;z) = 1/B(b, c−b) ∫₀¹ t^(b−1) (1−t)^(c−b−1) (1−zt)^−a dt, valid for c &gt; b &gt; 0 (or with a and b
/// swapped, on either series' parameters), is evaluated instead in the logit variable t = 1/(1+e^−u), where the integrand
/// is smooth, unimodal and decays exponentially on both sides, by <see cref="LogQuadrature"/> around its mode. ln B is
/// taken from Stirling's series with its correction terms so that the large logarithms of the peak and of B cancel
/// analytically. If neither form applies, the series is summed up to <see cref="MaxTerms"/> terms and NaN is returned
/// if it has not converged: a bounded, explicit failure instead of a hang or a wrong value.
/// </para>
/// <para>
/// Accuracy (HypergeometricTests, 33 cases against mpmath 1.3 at 40 digits: −1e6 ≤ z ≤ 1 − 1e-9, parameters from −3 to
/// 1e7, values from 1e-300 to e^(1e4)): relative error of the value (for the log form, absolute error of the log) at most
/// 2e-14 for parameters up to 1e3 and at most 1e-16 × the largest parameter × 10 beyond (the function's own condition
/// number with respect to its parameters grows the same way). Cancelling series with several negative parameters can
/// lose more digits; the models only use parameters &gt; −1. When c is a non-positive integer the function has a pole and
/// NaN is returned.
/// </para>
/// </remarks>
public static class Hypergeometric
{
    /// <summary>Largest number of series terms summed before giving up (NaN); bounds the time of any one call.</summary>
    public const int MaxTerms = 200_000;

    /// <summary>A series estimated to need more terms than this is replaced by Euler's integral where that is valid.</summary>
    public const int SeriesBudget = 5_000;

    /// <summary>Computes 2F1(a, b; c; z) for real arguments, z &lt; 1 (see the remarks for method and accuracy).</summary>
    /// <exception cref="ArgumentOutOfRangeException">z ≥ 1 (outside the region of the real-valued function).</exception>
    public static double Gauss2F1(double a, double b, double c, double z)
    {
        double log = LogGauss2F1(a, b, c, z, out int sign);
        return double.IsNaN(log) ? double.NaN : sign * Math.Exp(log);
    }

    /// <summary>
    /// ln |2F1(a, b; c; z)| with the sign of the value in <paramref name="sign"/> (−1, 0 or 1); finite where the value
    /// itself would overflow or underflow. NaN (sign 0) at poles and where the bounded series did not converge.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">z ≥ 1.</exception>
    public static double LogGauss2F1(double a, double b, double c, double z, out int sign)
    {
        sign = 0;
        if (double.IsNaN(a) || double.IsNaN(b) || double.IsNaN(c) || double.IsNaN(z))
        {
            return double.NaN;
        }

        if (z >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, "2F1 is evaluated only for z < 1.");
        }

        if (!double.IsFinite(a) || !double.IsFinite(b) || !double.IsFinite(c) || !double.IsFinite(z)
            || (IsNonPositiveInteger(c) && !TerminatesBefore(a, b, c)))
        {
            return double.NaN;
        }

        if (z == 0 || a == 0 || b == 0)
        {
            sign = 1;
            return 0.0;
        }

        if (IsNonPositiveInteger(a) || IsNonPositiveInteger(b))
        {
            return LogSeries(a, b, c, z, out sign); // a polynomial: no transformation needed
        }

        if (z < 0)
        {
            double w = z / (z - 1), log1mz = Elementary.Log1P(-z);
            // A&S 15.3.4 / 15.3.5: both are valid; take the one whose series parameters are smaller.
            return Math.Abs(c - b) <= Math.Abs(c - a)
                ? -a * log1mz + Positive(a, c - b, c, w, 1 / (1 - z), out sign)
                : -b * log1mz + Positive(b, c - a, c, w, 1 / (1 - z), out sign);
        }

        return Positive(a, b, c, z, 1 - z, out sign);
    }

    /// <summary>
    /// The plain Gauss series Σ (a)ₙ (b)ₙ / ((c)ₙ n!) zⁿ for |z| &lt; 1 without transformations.
    /// Returns NaN when it has not converged within <see cref="MaxTerms"/> terms.
    /// </summary>
    public static double Series(double a, double b, double c, double z)
    {
        double log = LogSeries(a, b, c, z, out int sign);
        return double.IsNaN(log) ? double.NaN : sign * Math.Exp(log);
    }

    /// <summary>0 &lt; z &lt; 1, with 1 − z passed separately so callers that know it exactly (z = w/(w+v)) keep its digits.</summary>
    private static double Positive(double a, double b, double c, double z, double oneMinusZ, out int sign)
    {
        if (z <= 0.99 && Math.Max(Math.Max(Math.Abs(a), Math.Abs(b)), Math.Abs(c)) <= 100)
        {
            // Fast path (the models' usual case): either series needs at most a few thousand terms; take the one whose
            // terms decay from the start, n^(a+b−c−1) zⁿ for the direct series: Euler's when a + b > c.
            return a + b > c
                ? (c - a - b) * Math.Log(oneMinusZ) + LogSeries(c - a, c - b, c, z, out sign)
                : LogSeries(a, b, c, z, out sign);
        }

        double logOneMinusZ = Math.Log(oneMinusZ);

        double direct = EstimatedTerms(a, b, c, z), euler = EstimatedTerms(c - a, c - b, c, z);
        bool directCheap = direct <= SeriesBudget, eulerCheap = euler <= SeriesBudget;
        if (!directCheap && !eulerCheap)
        {
            double integral = EulerIntegral(a, b, c, z, oneMinusZ);
            if (double.IsNaN(integral))
            {
                integral = EulerIntegral(c - a, c - b, c, z, oneMinusZ);
                if (!double.IsNaN(integral))
                {
                    integral += (c - a - b) * logOneMinusZ;
                }
            }

            if (!double.IsNaN(integral))
            {
                sign = 1;
                return integral;
            }
        }

        // Among affordable series prefer one without sign changes (no cancellation), then the shorter one.
        bool directPositive = a > 0 && b > 0 && c > 0, eulerPositive = c - a > 0 && c - b > 0 && c > 0;
        bool useEuler = directCheap != eulerCheap ? eulerCheap
            : eulerPositive != directPositive ? eulerPositive
            : euler < direct;
        return useEuler
            ? (c - a - b) * logOneMinusZ + LogSeries(c - a, c - b, c, z, out sign)
            : LogSeries(a, b, c, z, out sign);
    }

    /// <summary>
    /// Rough number of series terms: the index where the term ratio (a+n)(b+n)z/((c+n)(n+1)) falls to one, plus the
    /// geometric tail at rate z and a width around the peak. Only used to choose a method.
    /// </summary>
    private static double EstimatedTerms(double a, double b, double c, double z)
    {
        if (IsNonPositiveInteger(a) || IsNonPositiveInteger(b))
        {
            return -Math.Max(Math.Min(a, 0), Math.Min(b, 0)) + 1;
        }

        // (1−z) n² + (c + 1 − z(a+b)) n + (c − z a b) = 0 at the peak of the terms.
        double qa = 1 - z, qb = c + 1 - z * (a + b), qc = c - z * a * b;
        double disc = qb * qb - 4 * qa * qc;
        double peak = disc > 0 ? Math.Max(0, (-qb + Math.Sqrt(disc)) / (2 * qa)) : 0;
        double tail = 40 / -Math.Log(z);
        return peak + tail + 4 * Math.Sqrt(peak * (1 + tail));
    }

    /// <summary>ln 2F1 from Euler's integral (A&amp;S 15.3.1), trying b and a as the Beta variable; NaN when c &gt; b &gt; 0 fails for both.</summary>
    private static double EulerIntegral(double a, double b, double c, double z, double oneMinusZ)
    {
        if (c > b && b > 0)
        {
            return LogEulerIntegral(a, b, c, z, oneMinusZ);
        }

        if (c > a && a > 0)
        {
            return LogEulerIntegral(b, a, c, z, oneMinusZ);
        }

        return double.NaN;
    }

    /// <summary>
    /// ln [ 1/B(p, q) ∫₀¹ t^(p−1) (1−t)^(q−1) (1−zt)^−a dt ], q = c − p, in the logit variable u (dt = t(1−t) du):
    /// ∫ exp(p ln t + q ln(1−t) − a ln(1−zt)) du. The integrand is written relative to its Stirling scale
    /// p ln(p/c) + q ln(q/c) so that ln B's large terms cancel exactly: ln B(p,q) = p ln(p/c) + q ln(q/c) + ½ ln(2π c/(pq))
    /// + δ(p) + δ(q) − δ(c), δ(x) = ln Γ(x) − [(x−½) ln x − x + ½ ln 2π] (Stirling's remainder).
    /// </summary>
    private static double LogEulerIntegral(double a, double p, double c, double z, double oneMinusZ)
    {
        double q = c - p;
        var integrand = new EulerIntegrand(a, p, q, z, oneMinusZ);
        double mode = integrand.Mode();
        double log = LogQuadrature.LogIntegral(integrand, double.NegativeInfinity, double.PositiveInfinity, mode);
        double logBetaRest = 0.5 * Math.Log(2 * Math.PI * c / (p * q)) + StirlingRemainder(p) + StirlingRemainder(q) - StirlingRemainder(c);
        return log - logBetaRest;
    }

    /// <summary>δ(x) = ln Γ(x) − [(x−½) ln x − x + ½ ln 2π]; the asymptotic series 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) above 10 (A&amp;S 6.1.41).</summary>
    internal static double StirlingRemainder(double x)
    {
        if (x >= 10)
        {
            double inv = 1 / x, inv2 = inv * inv;
            return inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
        }

        return MathFn.GammaLn(x) - ((x - 0.5) * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI));
    }

    /// <summary>
    /// Sums the series with a running scale e^logScale; ln |sum| with its sign. NaN (sign 0) if not converged within
    /// <see cref="MaxTerms"/> terms.
    /// </summary>
    private static double LogSeries(double a, double b, double c, double z, out int sign)
    {
        const double Big = 1e280;
        double logBig = Math.Log(Big);
        double sum = 1.0, term = 1.0, logScale = 0;
        double absZ = Math.Abs(z);
        for (int n = 0; n < MaxTerms; n++)
        {
            double ratio = (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
            term *= ratio;
            sum += term;
            if (term == 0)
            {
                return Result(sum, logScale, out sign);
            }

            if (Math.Abs(term) > Big || Math.Abs(sum) > Big)
            {
                term /= Big;
                sum /= Big;
                logScale += logBig;
            }

            // Every later ratio is at most |z| max((a+k)/(k+1), 1) max((b+k)/(c+k), 1) once a+k, b+k, c+k > 0,
            // because each factor is monotone in k; the tail is then below a geometric series.
            double k = n + 1;
            if (Math.Abs(term) <= 1e-16 * Math.Abs(sum) && a + k > 0 && b + k > 0 && c + k > 0)
            {
                double bound = absZ * Math.Max((a + k) / (k + 1), 1) * Math.Max((b + k) / (c + k), 1);
                if (bound < 1 && Math.Abs(term) * bound <= 1.1e-16 * (1 - bound) * Math.Abs(sum))
                {
                    return Result(sum, logScale, out sign);
                }
            }
        }

        sign = 0;
        return double.NaN;
    }

    private static double Result(double sum, double logScale, out int sign)
    {
        sign = Math.Sign(sum);
        return sum == 0 ? double.NegativeInfinity : logScale + Math.Log(Math.Abs(sum));
    }

    private static bool IsNonPositiveInteger(double v) => v <= 0 && v == Math.Floor(v);

    private static bool TerminatesBefore(double a, double b, double c) =>
        (IsNonPositiveInteger(a) && a > c) || (IsNonPositiveInteger(b) && b > c);

    /// <summary>g(u) = p ln t + q ln(1−t) − a ln(1−zt) − [p ln(p/c) + q ln(q/c)], t = 1/(1+e^−u).</summary>
    private readonly struct EulerIntegrand(double a, double p, double q, double z, double oneMinusZ) : ILogIntegrand
    {
        private readonly double scale = p * Math.Log(p / (p + q)) + q * Math.Log(q / (p + q));

        public double Evaluate(double u, out double slope, out double curvature)
        {
            double t = Sigmoid(u), s = Sigmoid(-u); // t and 1 − t, each to full relative precision
            double d = oneMinusZ + z * s;            // 1 − z t
            double logT = -Elementary.Softplus(-u), logS = -Elementary.Softplus(u);
            double ts = t * s;
            slope = p * s - q * t + a * z * ts / d;
            curvature = -(p + q) * ts + a * z * ts * ((s - t) * d + z * ts) / (d * d);
            return p * logT + q * logS - a * Math.Log(d) - scale;
        }

        /// <summary>The root of g′ (g′ → p &gt; 0 as u → −∞ and → −q &lt; 0 as u → ∞) by bracketing and bisection.</summary>
        public double Mode()
        {
            double lo = -1, hi = 1;
            while (Slope(lo) < 0 && lo > -1e6)
            {
                lo *= 2;
            }

            while (Slope(hi) > 0 && hi < 1e6)
            {
                hi *= 2;
            }

            for (int i = 0; i < 200 && hi - lo > 1e-12 * Math.Max(1, Math.Abs(lo)); i++)
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

        private double Slope(double u)
        {
            Evaluate(u, out double slope, out _);
            return slope;
        }

        private static double Sigmoid(double u) => 1 / (1 + Math.Exp(-u));
    }
}
