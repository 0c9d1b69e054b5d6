namespace CustomerValue.Segmentation.Scoring;

/// <summary>One fitted model as recorded on a recompute run.</summary>
/// <param name="Model">bgnbd, paretonbd, mbgnbd or gammagamma.</param>
/// <param name="Parameters">Parameters named as in the papers (r, alpha, a, b; r, alpha, s, beta; p, q, v).</param>
/// <param name="Status">The optimiser's exit reason (or ThinDataEstimate).</param>
/// <param name="Converged">True when the maximum-likelihood fit converged.</param>
/// <param name="LogLikelihood">Log-likelihood at the estimate.</param>
/// <param name="Iterations">Optimiser iterations.</param>
/// <param name="Observations">Customers the model was fitted on.</param>
/// <param name="FitSeconds">Wall time of the fit.</param>
public sealed record ModelFitSummary(
    string Model, IReadOnlyDictionary<string, double> Parameters, string Status, bool Converged,
    double LogLikelihood, int Iterations, int Observations, double FitSeconds)
{
    /// <summary>Standard errors by parameter, where the Hessian allowed them.</summary>
    public IReadOnlyDictionary<string, double>? StandardErrors { get; init; }

    /// <summary>The boundary limit the fit ran off to and was fitted as (e.g. constantDropoutProbability); null at an interior optimum.</summary>
    public string? Limit { get; init; }

    /// <summary>Whether the Hessian at the estimate was positive definite; null when not computed.</summary>
    public bool? HessianPositiveDefinite { get; init; }
}

/// <summary>What the recompute's model step did: the fits, or why it fell back to a simpler estimate.</summary>
/// <param name="Method">The valuation method used for every customer.</param>
/// <param name="Customers">Customers with at least one purchase.</param>
/// <param name="RepeatBuyers">Customers with at least one repeat purchase day.</param>
/// <param name="Fits">The fitted models (empty on fallback).</param>
/// <param name="Note">Why a simpler estimate was used, if it was.</param>
public sealed record ModelRunSummary(string Method, int Customers, int RepeatBuyers, IReadOnlyList<ModelFitSummary> Fits, string? Note)
{
    /// <summary>True when the data is below the documented minimums (see <see cref="ColdStart"/>): values are rough.</summary>
    public bool InsufficientData { get; init; }

    /// <summary>The holdout comparison that chose the repeat-purchase model; null when the data was too thin to split.</summary>
    public ModelChoiceSummary? Comparison { get; init; }

    /// <summary>Relative change of each parameter of the chosen model since the previous run that used the same model.</summary>
    public IReadOnlyDictionary<string, double>? ParameterDrift { get; init; }

    /// <summary>
    /// The shop's median days between purchases, the fallback of the expected next order for customers the model cannot
    /// time; kept so the real-time rescore times them exactly as the run did.
    /// </summary>
    public double? ShopMedianGap { get; init; }

    /// <summary>A warning for people watching the model: the holdout error worsened markedly since the previous run.</summary>
    public string? Alarm { get; init; }
}
