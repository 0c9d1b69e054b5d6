namespace CustomerValue.Models.Optimization;

/// <summary>Outcome of one minimisation: the best point found, its value, the work done and the exit reason.</summary>
/// <param name="Point">Best point found.</param>
/// <param name="Value">Objective at <paramref name="Point"/>.</param>
/// <param name="GradientNorm">Largest absolute gradient component at <paramref name="Point"/> (NaN when not computed).</param>
/// <param name="Iterations">Iterations performed.</param>
/// <param name="Evaluations">Objective evaluations performed.</param>
/// <param name="Status">Why the minimiser stopped.</param>
public sealed record OptimizationResult(
    double[] Point, double Value, double GradientNorm, int Iterations, int Evaluations, OptimizationStatus Status)
{
    /// <summary>Whether <see cref="Status"/> is one of the convergence reasons.</summary>
    public bool Converged => Status is OptimizationStatus.GradientConverged
        or OptimizationStatus.FunctionChangeConverged
        or OptimizationStatus.SimplexConverged;
}
