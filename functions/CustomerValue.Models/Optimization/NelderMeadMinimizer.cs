namespace CustomerValue.Models.Optimization;

/// <summary>
/// Derivative-free Nelder–Mead simplex minimiser (Lagarias, Reeds, Wright &amp; Wright 1998 coefficients:
/// reflection 1, expansion 2, contraction 0.5, shrink 0.5). The robust fallback when BFGS cannot make progress.
/// </summary>
public static class NelderMeadMinimizer
{
    /// <summary>Minimises <paramref name="objective"/> (gradient ignored) from <paramref name="start"/>.</summary>
    /// <param name="objective">The objective; non-finite values are treated as +∞.</param>
    /// <param name="start">Starting vertex.</param>
    /// <param name="initialStep">Edge length of the initial simplex along each axis.</param>
    /// <param name="tolerance">Stop when the simplex diameter is below this and the value spread is below this × max(1, |f|).</param>
    /// <param name="maxIterations">Iteration budget.</param>
    public static OptimizationResult Minimize(
        ObjectiveFunction objective, ReadOnlySpan<double> start, double initialStep = 0.25, double tolerance = 1e-10, int maxIterations = 5000)
    {
        ArgumentNullException.ThrowIfNull(objective);
        int n = start.Length;
        var scratch = new double[n];
        int evaluations = 0;
        double F(double[] point)
        {
            evaluations++;
            double v = objective(point, scratch);
            return double.IsFinite(v) ? v : double.PositiveInfinity;
        }

        var vertices = new double[n + 1][];
        var values = new double[n + 1];
        for (int i = 0; i <= n; i++)
        {
            vertices[i] = start.ToArray();
            if (i > 0)
            {
                vertices[i][i - 1] += initialStep;
            }

            values[i] = F(vertices[i]);
        }

        if (double.IsPositiveInfinity(values[0]))
        {
            return new OptimizationResult(start.ToArray(), double.NaN, double.NaN, 0, evaluations, OptimizationStatus.NonFiniteObjective);
        }

        var centroid = new double[n];
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            Array.Sort(values, vertices);
            if (Diameter(vertices) <= tolerance && values[n] - values[0] <= tolerance * Math.Max(1.0, Math.Abs(values[0])))
            {
                return new OptimizationResult(vertices[0], values[0], double.NaN, iteration, evaluations, OptimizationStatus.SimplexConverged);
            }

            Array.Clear(centroid);
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    centroid[j] += vertices[i][j] / n;
                }
            }

            var reflected = Along(centroid, vertices[n], -1.0);
            double fr = F(reflected);
            if (fr < values[0])
            {
                var expanded = Along(centroid, vertices[n], -2.0);
                double fe = F(expanded);
                Replace(vertices, values, n, fe < fr ? expanded : reflected, Math.Min(fe, fr));
            }
            else if (fr < values[n - 1])
            {
                Replace(vertices, values, n, reflected, fr);
            }
            else
            {
                bool outside = fr < values[n];
                var contracted = Along(centroid, vertices[n], outside ? -0.5 : 0.5);
                double fc = F(contracted);
                if (fc < (outside ? fr : values[n]))
                {
                    Replace(vertices, values, n, contracted, fc);
                }
                else
                {
                    for (int i = 1; i <= n; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            vertices[i][j] = vertices[0][j] + 0.5 * (vertices[i][j] - vertices[0][j]);
                        }

                        values[i] = F(vertices[i]);
                    }
                }
            }
        }

        Array.Sort(values, vertices);
        return new OptimizationResult(vertices[0], values[0], double.NaN, maxIterations, evaluations, OptimizationStatus.MaxIterationsReached);
    }

    /// <summary>centroid + coefficient × (worst − centroid): −1 reflects, −2 expands, ±0.5 contracts.</summary>
    private static double[] Along(double[] centroid, double[] worst, double coefficient)
    {
        var point = new double[centroid.Length];
        for (int j = 0; j < point.Length; j++)
        {
            point[j] = centroid[j] + coefficient * (worst[j] - centroid[j]);
        }

        return point;
    }

    private static void Replace(double[][] vertices, double[] values, int index, double[] point, double value)
    {
        vertices[index] = point;
        values[index] = value;
    }

    private static double Diameter(double[][] vertices)
    {
        double max = 0;
        for (int i = 1; i < vertices.Length; i++)
        {
            for (int j = 0; j < vertices[i].Length; j++)
            {
                max = Math.Max(max, Math.Abs(vertices[i][j] - vertices[0][j]));
            }
        }

        return max;
    }
}
