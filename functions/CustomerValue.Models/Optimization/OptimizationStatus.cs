namespace CustomerValue.Models.Optimization;

/// <summary>Why a minimiser stopped (the real exit reason, not a generic one).</summary>
public enum OptimizationStatus
{
    /// <summary>The largest gradient component fell below the gradient tolerance.</summary>
    GradientConverged,

    /// <summary>The objective stopped changing (relative change below tolerance) though the gradient test was not met.</summary>
    FunctionChangeConverged,

    /// <summary>Nelder–Mead: the simplex shrank below the tolerance and its values agree.</summary>
    SimplexConverged,

    /// <summary>The iteration budget ran out before any convergence test was met.</summary>
    MaxIterationsReached,

    /// <summary>BFGS: no step along the search direction decreased the objective.</summary>
    LineSearchFailed,

    /// <summary>The objective or its gradient was NaN or infinite at the starting point.</summary>
    NonFiniteObjective,
}
