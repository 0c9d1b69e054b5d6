namespace CustomerValue.Models.Optimization;

/// <summary>
/// Quasi-Newton BFGS minimiser with a strong-Wolfe line search (Nocedal &amp; Wright, Numerical Optimization, 2nd ed.,
/// Algorithm 6.1 with line search Algorithms 3.5/3.6, c1 = 1e-4, c2 = 0.9, initial inverse Hessian scaled by eq. 6.20).
/// Meant for the few (2–4) log-parameters of the customer-base models: the inverse Hessian is dense.
/// </summary>
/// <remarks>
/// Near the optimum a likelihood summed over a million customers is flat to its rounding noise (about 1e-14 of its
/// value), while its analytic gradient still points somewhere: the sufficient-decrease test then rejects good steps for
/// noise, and the zoom used to shrink the step down to 1e-16, evaluating the same point thirty times, before the
/// function-change test stopped the search with a gradient above tolerance. Two rules end that stall: a trial point
/// whose gradient meets the tolerance is accepted when its value is within the noise allowance
/// <see cref="NoiseAllowance"/> of the start (the relaxed Armijo condition f(x + αp) ≤ f(x) + c₁α∇fᵀp + 2ε_f of
/// Berahas, Byrd &amp; Nocedal, SIAM J. Optim. 29 (2019) 965–993, applied to converged points only), and the zoom
/// stops once its interval no longer moves the point in floating point (Moré &amp; Thuente's interval-width test,
/// ACM TOMS 20 (1994) 286–307).
/// </remarks>
public static class BfgsMinimizer
{
    private const double C1 = 1e-4;
    private const double C2 = 0.9;

    /// <summary>
    /// ε_f relative to max(1, |f|): the rounding noise allowed in a value, far above a sum of a million terms' rounding
    /// (about 1e-14 relative, measured) and far below any real decrease the search makes.
    /// </summary>
    internal const double NoiseAllowance = 1e-12;

    /// <summary>Minimises <paramref name="objective"/> from <paramref name="start"/>.</summary>
    /// <param name="objective">Value and gradient.</param>
    /// <param name="start">Starting point (not modified).</param>
    /// <param name="gradientTolerance">Stop when max |∂f/∂x_i| is below this.</param>
    /// <param name="maxIterations">Iteration budget.</param>
    /// <param name="functionTolerance">Stop when |Δf| ≤ this × max(1, |f|) on two successive iterations.</param>
    public static OptimizationResult Minimize(
        ObjectiveFunction objective, ReadOnlySpan<double> start, double gradientTolerance = 1e-9, int maxIterations = 500, double functionTolerance = 1e-15)
    {
        ArgumentNullException.ThrowIfNull(objective);
        int n = start.Length;
        var x = start.ToArray();
        var g = new double[n];
        int evaluations = 1;
        double f = objective(x, g);
        if (!double.IsFinite(f) || !AllFinite(g))
        {
            return new OptimizationResult(x, f, double.NaN, 0, evaluations, OptimizationStatus.NonFiniteObjective);
        }

        var h = Identity(n);
        var p = new double[n];
        var xNew = new double[n];
        var gNew = new double[n];
        var s = new double[n];
        var y = new double[n];
        int smallChanges = 0;
        bool firstStep = true;

        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            double gNorm = MaxAbs(g);
            if (gNorm <= gradientTolerance)
            {
                return new OptimizationResult(x, f, gNorm, iteration, evaluations, OptimizationStatus.GradientConverged);
            }

            MultiplyNegative(h, g, p);
            double slope = Dot(g, p);
            if (!(slope < 0))
            {
                // The quasi-Newton direction is not a descent direction: restart from steepest descent.
                h = Identity(n);
                MultiplyNegative(h, g, p);
                slope = Dot(g, p);
            }

            double initialStep = firstStep ? Math.Min(1.0, 1.0 / MaxAbs(p)) : 1.0;
            var search = LineSearch(objective, x, f, g, p, slope, initialStep, xNew, gNew, gradientTolerance);
            evaluations += search.Evaluations;
            if (!search.Found)
            {
                if (!IsIdentity(h))
                {
                    h = Identity(n); // one retry along steepest descent before giving up
                    firstStep = true;
                    continue;
                }

                return new OptimizationResult(x, f, gNorm, iteration, evaluations, OptimizationStatus.LineSearchFailed);
            }

            double fNew = search.Value;
            for (int i = 0; i < n; i++)
            {
                s[i] = xNew[i] - x[i];
                y[i] = gNew[i] - g[i];
            }

            double sy = Dot(s, y);
            if (sy > 1e-300)
            {
                if (firstStep)
                {
                    double scale = sy / Dot(y, y);
                    h = Identity(n);
                    for (int i = 0; i < n; i++)
                    {
                        h[i, i] = scale;
                    }
                }

                UpdateInverseHessian(h, s, y, sy);
                firstStep = false;
            }

            smallChanges = Math.Abs(f - fNew) <= functionTolerance * Math.Max(1.0, Math.Abs(fNew)) ? smallChanges + 1 : 0;
            Array.Copy(xNew, x, n);
            Array.Copy(gNew, g, n);
            f = fNew;
            if (smallChanges >= 2)
            {
                return new OptimizationResult(x, f, MaxAbs(g), iteration + 1, evaluations, OptimizationStatus.FunctionChangeConverged);
            }
        }

        double finalNorm = MaxAbs(g);
        var status = finalNorm <= gradientTolerance ? OptimizationStatus.GradientConverged : OptimizationStatus.MaxIterationsReached;
        return new OptimizationResult(x, f, finalNorm, maxIterations, evaluations, status);
    }

    private readonly record struct SearchOutcome(bool Found, double Value, int Evaluations);

    /// <summary>Strong-Wolfe line search (N&amp;W Algorithm 3.5 with the zoom of Algorithm 3.6; non-finite values count as "too high").</summary>
    private static SearchOutcome LineSearch(
        ObjectiveFunction objective, double[] x, double f0, double[] g0, double[] p, double slope0, double step, double[] xOut, double[] gOut,
        double gradientTolerance)
    {
        int n = x.Length;
        double noise = NoiseAllowance * Math.Max(1.0, Math.Abs(f0));
        // The smallest change of step that still moves the point: below it the zoom only re-evaluates x + αp.
        double resolution = 2.3e-16 * Math.Max(1.0, MaxAbs(x)) / Math.Max(MaxAbs(p), double.Epsilon);
        bool converged = false;
        var gTrial = new double[n];
        var xTrial = new double[n];
        int evaluations = 0;
        double previousStep = 0, previousValue = f0, previousSlope = slope0;
        bool haveArmijo = false;
        double armijoValue = double.NaN;

        double Evaluate(double a, out double slope)
        {
            for (int i = 0; i < n; i++)
            {
                xTrial[i] = x[i] + a * p[i];
            }

            evaluations++;
            double v = objective(xTrial, gTrial);
            slope = Dot(gTrial, p);
            if (!double.IsFinite(v) || !double.IsFinite(slope))
            {
                return double.PositiveInfinity;
            }

            // At the optimum within tolerance, and no worse than the start beyond rounding noise: take it.
            converged = v <= f0 + noise && MaxAbs(gTrial) <= gradientTolerance;

            if (v <= f0 + C1 * a * slope0 && (!haveArmijo || v < armijoValue))
            {
                haveArmijo = true; // remember the best sufficient-decrease point in case Wolfe is never met
                armijoValue = v;
                Array.Copy(xTrial, xOut, n);
                Array.Copy(gTrial, gOut, n);
            }

            return v;
        }

        SearchOutcome Accept(double v)
        {
            Array.Copy(xTrial, xOut, n);
            Array.Copy(gTrial, gOut, n);
            return new SearchOutcome(true, v, evaluations);
        }

        SearchOutcome Zoom(double lo, double fLo, double slopeLo, double hi, double fHi)
        {
            for (int k = 0; k < 40; k++)
            {
                if (Math.Abs(hi - lo) <= resolution)
                {
                    break;
                }

                double a = Interpolate(lo, fLo, slopeLo, hi, fHi);
                double v = Evaluate(a, out double slope);
                if (converged)
                {
                    return Accept(v);
                }

                if (v > f0 + C1 * a * slope0 || v >= fLo)
                {
                    hi = a;
                    fHi = v;
                }
                else
                {
                    if (Math.Abs(slope) <= -C2 * slope0)
                    {
                        return Accept(v);
                    }

                    if (slope * (hi - lo) >= 0)
                    {
                        hi = lo;
                        fHi = fLo;
                    }

                    lo = a;
                    fLo = v;
                    slopeLo = slope;
                }

                if (Math.Abs(hi - lo) <= 1e-16 * Math.Max(1.0, Math.Abs(lo)))
                {
                    break;
                }
            }

            return haveArmijo ? new SearchOutcome(true, armijoValue, evaluations) : new SearchOutcome(false, f0, evaluations);
        }

        for (int k = 0; k < 40; k++)
        {
            double v = Evaluate(step, out double slope);
            if (converged)
            {
                return Accept(v);
            }

            if (v > f0 + C1 * step * slope0 || (k > 0 && v >= previousValue))
            {
                return Zoom(previousStep, previousValue, previousSlope, step, v);
            }

            if (Math.Abs(slope) <= -C2 * slope0)
            {
                return Accept(v);
            }

            if (slope >= 0)
            {
                return Zoom(step, v, slope, previousStep, previousValue);
            }

            previousStep = step;
            previousValue = v;
            previousSlope = slope;
            step *= 2;
        }

        return haveArmijo ? new SearchOutcome(true, armijoValue, evaluations) : new SearchOutcome(false, f0, evaluations);
    }

    /// <summary>Minimiser of the quadratic through (lo, fLo, slopeLo) and (hi, fHi), kept inside the middle 80 % of the bracket.</summary>
    private static double Interpolate(double lo, double fLo, double slopeLo, double hi, double fHi)
    {
        double d = hi - lo;
        double a = lo + 0.5 * d;
        if (double.IsFinite(fHi))
        {
            double denominator = 2 * (fHi - fLo - slopeLo * d);
            if (denominator > 0)
            {
                a = lo - slopeLo * d * d / denominator;
            }
        }

        double min = Math.Min(lo, hi) + 0.1 * Math.Abs(d);
        double max = Math.Max(lo, hi) - 0.1 * Math.Abs(d);
        return double.IsFinite(a) ? Math.Clamp(a, min, max) : lo + 0.5 * d;
    }

    /// <summary>BFGS inverse-Hessian update, N&amp;W eq. 6.17: H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1/(yᵀs).</summary>
    private static void UpdateInverseHessian(double[,] h, double[] s, double[] y, double sy)
    {
        int n = s.Length;
        double rho = 1.0 / sy;
        var hy = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                hy[i] += h[i, j] * y[j];
            }
        }

        double yhy = Dot(y, hy);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                h[i, j] += (1 + rho * yhy) * rho * s[i] * s[j] - rho * (hy[i] * s[j] + s[i] * hy[j]);
            }
        }
    }

    private static double[,] Identity(int n)
    {
        var m = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            m[i, i] = 1;
        }

        return m;
    }

    private static bool IsIdentity(double[,] m)
    {
        for (int i = 0; i < m.GetLength(0); i++)
        {
            for (int j = 0; j < m.GetLength(1); j++)
            {
                if (m[i, j] != (i == j ? 1.0 : 0.0))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static void MultiplyNegative(double[,] h, double[] g, double[] result)
    {
        for (int i = 0; i < g.Length; i++)
        {
            double sum = 0;
            for (int j = 0; j < g.Length; j++)
            {
                sum += h[i, j] * g[j];
            }

            result[i] = -sum;
        }
    }

    internal static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    internal static double MaxAbs(ReadOnlySpan<double> v)
    {
        double max = 0;
        foreach (double d in v)
        {
            max = Math.Max(max, Math.Abs(d));
        }

        return max;
    }

    private static bool AllFinite(ReadOnlySpan<double> v)
    {
        foreach (double d in v)
        {
            if (!double.IsFinite(d))
            {
                return false;
            }
        }

        return true;
    }
}
