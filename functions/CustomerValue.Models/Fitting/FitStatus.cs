namespace CustomerValue.Models.Fitting;

/// <summary>How a model fit ended: the real exit reason of the optimiser chain (BFGS, then Nelder–Mead fallback).</summary>
public enum FitStatus
{
    /// <summary>BFGS met the gradient tolerance.</summary>
    Converged,

    /// <summary>BFGS stopped because the log-likelihood no longer changed (relative 1e-15) before the gradient test was met.</summary>
    ConvergedOnFunctionChange,

    /// <summary>BFGS struggled; the Nelder–Mead fallback and a BFGS polish from its result then met the gradient tolerance.</summary>
    ConvergedAfterFallback,

    /// <summary>BFGS struggled; the Nelder–Mead fallback converged but the BFGS polish did not meet the gradient tolerance.</summary>
    ConvergedWithNelderMead,

    /// <summary>No stage converged within the iteration budget; the best point found is reported.</summary>
    MaxIterationsReached,

    /// <summary>No stage could decrease the objective any more and none met a convergence test; the best point found is reported.</summary>
    LineSearchFailed,

    /// <summary>The log-likelihood was not finite at the starting point.</summary>
    NonFiniteLikelihood,

    /// <summary>Not fitted: too few repeat buyers; the documented simple estimate of the model is reported.</summary>
    ThinDataEstimate,
}
