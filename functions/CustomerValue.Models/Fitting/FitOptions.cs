namespace CustomerValue.Models.Fitting;

/// <summary>Options of a maximum-likelihood fit. <see cref="Default"/> suits the published examples and shop data.</summary>
public sealed record FitOptions
{
    /// <summary>Default options.</summary>
    public static FitOptions Default { get; } = new();

    /// <summary>
    /// L2 penalizer λ ≥ 0 (lifetimes' convention): the fit minimises −ℓ(θ)/N + λ Σ θ_i², with ℓ the log-likelihood,
    /// N the number of customers and θ the parameters in their natural scale. 0 (default) is plain maximum likelihood.
    /// </summary>
    public double Penalizer { get; init; }

    /// <summary>Iteration budget of each optimiser stage.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>Convergence test: max |∂/∂ ln θ_i| of the mean negative log-likelihood per customer.</summary>
    public double GradientTolerance { get; init; } = 1e-8;

    /// <summary>
    /// Thin-data rule: with fewer customers with a repeat purchase than this, the model is not fitted and the
    /// documented simple estimate is returned with <see cref="FitStatus.ThinDataEstimate"/>.
    /// </summary>
    public int MinimumRepeatBuyers { get; init; } = 20;

    /// <summary>Optional starting parameters, in the model's parameter order (e.g. r, α, a, b).</summary>
    public IReadOnlyList<double>? InitialParameters { get; init; }

    /// <summary>Whether to compute standard errors from the Hessian (default true).</summary>
    public bool ComputeStandardErrors { get; init; } = true;
}
