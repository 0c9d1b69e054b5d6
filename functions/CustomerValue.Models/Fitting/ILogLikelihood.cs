namespace CustomerValue.Models.Fitting;

/// <summary>A model's weighted log-likelihood over compressed data, with its analytic gradient.</summary>
internal interface ILogLikelihood
{
    /// <summary>Number of model parameters.</summary>
    int ParameterCount { get; }

    /// <summary>Σ weights (the number of customers).</summary>
    double TotalWeight { get; }

    /// <summary>Returns ℓ(θ) = Σ w_i ℓ_i(θ) and writes ∂ℓ/∂θ (natural parameter scale) into <paramref name="gradient"/>.</summary>
    double Evaluate(ReadOnlySpan<double> theta, Span<double> gradient);
}
