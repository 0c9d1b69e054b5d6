using CustomerValue.Models.Optimization;

namespace CustomerValue.Models.Tests.Optimization;

public class MinimizerTests
{
    private static double Rosenbrock(ReadOnlySpan<double> p, Span<double> g)
    {
        double x = p[0], y = p[1];
        g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
        g[1] = 200 * (y - x * x);
        return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
    }

    [Fact]
    public void Bfgs_OnRosenbrock_ConvergesOnTheGradientTest()
    {
        var result = BfgsMinimizer.Minimize(Rosenbrock, [-1.2, 1.0], gradientTolerance: 1e-10);

        Assert.Equal(OptimizationStatus.GradientConverged, result.Status);
        Assert.Equal(1.0, result.Point[0], 6);
        Assert.Equal(1.0, result.Point[1], 6);
        Assert.True(result.Iterations < 100);
    }

    [Fact]
    public void Bfgs_WithTinyBudget_SaysItRanOutOfIterations()
    {
        var result = BfgsMinimizer.Minimize(Rosenbrock, [-1.2, 1.0], maxIterations: 3);

        Assert.Equal(OptimizationStatus.MaxIterationsReached, result.Status);
        Assert.False(result.Converged);
        Assert.Equal(3, result.Iterations);
    }

    [Fact]
    public void Bfgs_FromANonFinitePoint_SaysSo()
    {
        var result = BfgsMinimizer.Minimize((p, g) => double.NaN, [1.0]);

        Assert.Equal(OptimizationStatus.NonFiniteObjective, result.Status);
    }

    [Fact]
    public void Bfgs_StepsBackFromRegionsWhereTheObjectiveIsUndefined()
    {
        // f = x - ln x on x > 0, NaN elsewhere; a full Newton-like step from x = 0.1 overshoots into x < 0.
        var result = BfgsMinimizer.Minimize((p, g) =>
        {
            g[0] = 1 - 1 / p[0];
            return p[0] > 0 ? p[0] - Math.Log(p[0]) : double.NaN;
        }, [0.1]);

        Assert.True(result.Converged);
        Assert.Equal(1.0, result.Point[0], 6);
    }

    [Fact]
    public void Bfgs_WhenTheValueIsFlatToRoundingNoise_StopsOnTheGradient_WithoutShrinkingTheStepToNothing()
    {
        // A likelihood summed over a million customers is flat to ~1e-14 of its value at the optimum while its gradient
        // is exact: here an ill-conditioned quadratic plus deterministic noise of 3e-14 on the value only.
        int evaluations = 0;
        double Noisy(ReadOnlySpan<double> p, Span<double> g)
        {
            evaluations++;
            double f = 5, hash = 0;
            double[] curvature = [1, 30, 900];
            for (int i = 0; i < p.Length; i++)
            {
                g[i] = curvature[i] * p[i];
                f += 0.5 * curvature[i] * p[i] * p[i];
                hash += Math.Sin(1e7 * p[i] * (i + 1));
            }

            return f + 1e-14 * hash;
        }

        var result = BfgsMinimizer.Minimize(Noisy, [1.0, -0.7, 0.3], gradientTolerance: 1e-8);

        Assert.Equal(OptimizationStatus.GradientConverged, result.Status);
        Assert.True(result.GradientNorm <= 1e-8, $"max |gradient| {result.GradientNorm}");
        Assert.True(evaluations < 60, $"{evaluations} evaluations");
    }

    [Fact]
    public void NelderMead_OnRosenbrock_ConvergesOnTheSimplexTest()
    {
        var result = NelderMeadMinimizer.Minimize(Rosenbrock, [-1.2, 1.0], tolerance: 1e-12);

        Assert.Equal(OptimizationStatus.SimplexConverged, result.Status);
        Assert.Equal(1.0, result.Point[0], 4);
        Assert.Equal(1.0, result.Point[1], 4);
    }
}
