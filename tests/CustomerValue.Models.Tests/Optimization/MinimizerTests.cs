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
    public void NelderMead_OnRosenbrock_ConvergesOnTheSimplexTest()
    {
        var result = NelderMeadMinimizer.Minimize(Rosenbrock, [-1.2, 1.0], tolerance: 1e-12);

        Assert.Equal(OptimizationStatus.SimplexConverged, result.Status);
        Assert.Equal(1.0, result.Point[0], 4);
        Assert.Equal(1.0, result.Point[1], 4);
    }
}
