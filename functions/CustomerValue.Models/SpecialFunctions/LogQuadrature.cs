namespace CustomerValue.Models.SpecialFunctions;

/// <summary>A log-integrand g(u) with its first two derivatives, for <see cref="LogQuadrature"/>.</summary>
internal interface ILogIntegrand
{
    /// <summary>Returns g(u) and writes g′(u) and g″(u).</summary>
    double Evaluate(double u, out double slope, out double curvature);
}

/// <summary>
/// ln ∫ e^{g(u)} du for smooth, unimodal g that may be sharply peaked (parameters in the millions) or decay slowly,
/// summed in log space so that neither the integrand nor the integral overflows.
/// </summary>
/// <remarks>
/// Method: composite 20-point Gauss–Legendre panels laid out from the mode outwards on both sides. A panel starting at u
/// has width min(3/√|g″(u)|, 6/|g′(u)|, max(w₀, |u − mode|/4)), w₀ the scale of the integrand's features (1 by default), so over each panel g changes by at most a few units
/// (where a 20-point rule is exact to rounding for exponentials and Gaussians) while widths grow geometrically in the
/// nearly exponential tails. A side ends at the interval end or where g decreases and the rest of the tail, about
/// e^g/|g′|, is below e^−38 (3e-17) of the largest term summed. At most
/// <see cref="MaxPanels"/> panels are used; beyond that, or for a non-finite g, the result is NaN.
/// </remarks>
internal static class LogQuadrature
{
    /// <summary>Panel bound per integral (each panel costs 20 evaluations of g).</summary>
    public const int MaxPanels = 1_000;

    private const double Drop = 38;
    private static readonly double[] Nodes = new double[20];
    private static readonly double[] Weights = new double[20];

#pragma warning disable CA1810 // the nodes are computed once; a static constructor reads more plainly than a helper returning two arrays
    static LogQuadrature()
#pragma warning restore CA1810
    {
        // Gauss–Legendre nodes: roots of P₂₀ by Newton's method from Chebyshev-like guesses (Press et al., Numerical
        // Recipes, 3rd ed., §4.6.1 gauleg); weights 2 / ((1 − x²) P₂₀′(x)²).
        const int n = 20;
        for (int i = 0; i < n; i++)
        {
            double x = Math.Cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++)
            {
                double p0 = 1, p1 = 0;
                for (int k = 1; k <= n; k++)
                {
                    double p2 = p1;
                    p1 = p0;
                    p0 = ((2.0 * k - 1) * x * p1 - (k - 1.0) * p2) / k;
                }

                derivative = n * (x * p0 - p1) / (x * x - 1);
                double step = p0 / derivative;
                x -= step;
                if (Math.Abs(step) < 1e-16)
                {
                    break;
                }
            }

            Nodes[i] = x;
            Weights[i] = 2 / ((1 - x * x) * derivative * derivative);
        }
    }

    /// <summary>
    /// ln ∫_lower^upper e^{g(u)} du (bounds may be infinite), with <paramref name="mode"/> the maximiser of g on the interval
    /// (or the end where g is largest). When <paramref name="nodes"/> is given, every node u and its log weight
    /// ln(wᵢ) + g(u) is appended, so callers can integrate further functions against the same rule.
    /// </summary>
    public static double LogIntegral<T>(T g, double lower, double upper, double mode, List<(double U, double LogWeight)>? nodes = null, double scale = 1)
        where T : ILogIntegrand
    {
        double peak = g.Evaluate(mode, out _, out _);
        if (!double.IsFinite(peak))
        {
            return double.NaN;
        }

        var state = new Accumulator(peak);
        int panels = 0;
        if (!Side(g, mode, upper, +1, scale, ref state, ref panels, nodes) || !Side(g, mode, lower, -1, scale, ref state, ref panels, nodes))
        {
            return double.NaN;
        }

        return state.Log();
    }

    private static bool Side<T>(T g, double mode, double end, int direction, double scale, ref Accumulator state, ref int panels, List<(double U, double LogWeight)>? nodes)
        where T : ILogIntegrand
    {
        double u = mode;
        double value = g.Evaluate(u, out double slope, out double curvature);
        while (direction * (end - u) > 0)
        {
            if (++panels > MaxPanels || !double.IsFinite(value))
            {
                return false;
            }

            double width = Math.Max(scale, Math.Abs(u - mode) / 4);
            if (Math.Abs(curvature) > 0)
            {
                width = Math.Min(width, 3 / Math.Sqrt(Math.Abs(curvature)));
            }

            if (Math.Abs(slope) > 0)
            {
                width = Math.Min(width, 6 / Math.Abs(slope));
            }

            double next = direction > 0 ? Math.Min(u + width, end) : Math.Max(u - width, end);
            if (next == u)
            {
                return true; // the interval is narrower than one ulp here
            }

            double half = 0.5 * (next - u), middle = 0.5 * (next + u);
            for (int i = 0; i < Nodes.Length; i++)
            {
                double at = middle + half * Nodes[i];
                double logTerm = g.Evaluate(at, out _, out _) + Math.Log(Weights[i] * Math.Abs(half));
                if (double.IsNaN(logTerm))
                {
                    return false;
                }

                state.Add(logTerm);
                nodes?.Add((at, logTerm));
            }

            u = next;
            value = g.Evaluate(u, out slope, out curvature);
            // The rest of an exponentially decaying tail is about e^g / |g′|: stop when that is below e^−Drop of the largest term.
            if (direction * slope < 0 && value - Math.Log(Math.Abs(slope)) < state.Max - Drop)
            {
                return true;
            }
        }

        return true;
    }

    /// <summary>Σ e^{ℓᵢ} kept as e^{reference} · sum, rescaled when a larger term arrives.</summary>
    private struct Accumulator(double reference)
    {
        private double reference = reference;
        private double sum;

        public double Max { get; private set; } = reference;

        public void Add(double logTerm)
        {
            if (double.IsNegativeInfinity(logTerm))
            {
                return;
            }

            if (logTerm > Max)
            {
                Max = logTerm;
            }

            if (logTerm > reference + 300)
            {
                sum *= Math.Exp(reference - logTerm);
                reference = logTerm;
            }

            sum += Math.Exp(logTerm - reference);
        }

        public readonly double Log() => sum > 0 ? reference + Math.Log(sum) : double.NegativeInfinity;
    }
}
