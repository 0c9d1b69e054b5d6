namespace CustomerValue.Segmentation.Scoring;

/// <summary>One fitted model as recorded on a recompute run.</summary>
/// <param name="Model">bgnbd or gammagamma.</param>
/// <param name="Parameters">Parameters named as in the papers (r, alpha, a, b; p, q, v).</param>
/// <param name="Status">The optimiser's exit reason (or ThinDataEstimate).</param>
/// <param name="Converged">True when the maximum-likelihood fit converged.</param>
/// <param name="LogLikelihood">Log-likelihood at the estimate.</param>
/// <param name="Iterations">Optimiser iterations.</param>
/// <param name="Observations">Customers the model was fitted on.</param>
/// <param name="FitSeconds">Wall time of the fit.</param>
public sealed record ModelFitSummary(
    string Model, IReadOnlyDictionary<string, double> Parameters, string Status, bool Converged,
    double LogLikelihood, int Iterations, int Observations, double FitSeconds);

/// <summary>What the recompute's model step did: the fits, or why it fell back to net spend.</summary>
/// <param name="Method">The valuation method used for every customer.</param>
/// <param name="Customers">Customers with at least one purchase.</param>
/// <param name="RepeatBuyers">Customers with at least one repeat purchase day.</param>
/// <param name="Fits">The fitted models (empty on fallback).</param>
/// <param name="Note">Why a simpler estimate was used, if it was.</param>
public sealed record ModelRunSummary(string Method, int Customers, int RepeatBuyers, IReadOnlyList<ModelFitSummary> Fits, string? Note);
