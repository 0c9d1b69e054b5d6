namespace CustomerValue.Models.Fitting;

/// <summary>Outcome of <see cref="MaximumLikelihood.Fit"/> in natural parameter scale.</summary>
internal sealed record MaximumLikelihoodResult(
    double[] Theta,
    double[] StandardErrors,
    double[,]? Covariance,
    double LogLikelihood,
    FitStatus Status,
    string Message,
    int Iterations,
    double Seconds)
{
    /// <summary>Whether the Hessian at the estimate was positive definite; null when not computed.</summary>
    public bool? HessianPositiveDefinite { get; init; }

    /// <summary>Whether BFGS ended with a parameter beyond <see cref="MaximumLikelihood.RunOffLogParameter"/> in log scale.</summary>
    public bool RanOff { get; init; }

    /// <summary>Which limit of the model these parameters belong to.</summary>
    public ModelLimit Limit { get; init; }
}
