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
    double Seconds);
