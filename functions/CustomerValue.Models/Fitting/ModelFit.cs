namespace CustomerValue.Models.Fitting;

/// <summary>What every fitted model reports besides its parameters.</summary>
public abstract class ModelFit
{
    private protected ModelFit(MaximumLikelihoodResult result, string[] names, int observations, int uniqueRows, double penalizer)
    {
        ArgumentNullException.ThrowIfNull(result);
        LogLikelihood = result.LogLikelihood;
        Status = result.Status;
        StatusMessage = result.Message;
        Iterations = result.Iterations;
        FitSeconds = result.Seconds;
        Observations = observations;
        UniqueRows = uniqueRows;
        Penalizer = penalizer;
        Summary = names.Select((name, i) => new ParameterEstimate(name, result.Theta[i], result.StandardErrors[i])).ToArray();
        Covariance = result.Covariance;
        HessianPositiveDefinite = result.HessianPositiveDefinite;
        Limit = result.Limit;
    }

    /// <summary>
    /// Which model the estimates and predictions belong to: <see cref="ModelLimit.None"/> for the full model, otherwise the
    /// boundary limit the likelihood ran off to, fitted in its own parameters (<see cref="StatusMessage"/> says why).
    /// </summary>
    public ModelLimit Limit { get; }

    /// <summary>
    /// Whether the Hessian of the negative log-likelihood was positive definite at the reported estimate (of the limit
    /// model when <see cref="Limit"/> is set); false means a flat or saddle direction (no standard errors); null when
    /// not computed.
    /// </summary>
    public bool? HessianPositiveDefinite { get; }

    /// <summary>Maximised log-likelihood ℓ(θ̂) (without the penalty term).</summary>
    public double LogLikelihood { get; }

    /// <summary>Whether the optimiser met a convergence test (see <see cref="Status"/> for which).</summary>
    public bool Converged => Status is FitStatus.Converged or FitStatus.ConvergedOnFunctionChange
        or FitStatus.ConvergedAfterFallback or FitStatus.ConvergedWithNelderMead;

    /// <summary>The real exit reason of the fit.</summary>
    public FitStatus Status { get; }

    /// <summary>What each optimiser stage did and why it stopped, in words.</summary>
    public string StatusMessage { get; }

    /// <summary>Whether the parameters are the thin-data simple estimate rather than a fit.</summary>
    public bool IsThinDataEstimate => Status == FitStatus.ThinDataEstimate;

    /// <summary>Optimiser iterations over all stages.</summary>
    public int Iterations { get; }

    /// <summary>Wall-clock seconds of the fit (compression, optimisation and standard errors).</summary>
    public double FitSeconds { get; }

    /// <summary>Customers used by the fit.</summary>
    public int Observations { get; }

    /// <summary>Distinct data rows the likelihood was evaluated on after compression.</summary>
    public int UniqueRows { get; }

    /// <summary>L2 penalizer used.</summary>
    public double Penalizer { get; }

    /// <summary>Parameters with standard errors and 95 % intervals, in the model's order.</summary>
    public IReadOnlyList<ParameterEstimate> Summary { get; }

    /// <summary>Covariance matrix of the estimates (inverse Hessian of the negative log-likelihood); null when unavailable.</summary>
    public double[,]? Covariance { get; }
}
