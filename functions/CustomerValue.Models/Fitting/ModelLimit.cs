namespace CustomerValue.Models.Fitting;

/// <summary>
/// Which model a fit's predictions come from: the full model, or the limit on its boundary that the likelihood ran off
/// to (then the limit is fitted in its own, smaller parameter space and reported here).
/// </summary>
public enum ModelLimit
{
    /// <summary>The full model at an interior optimum.</summary>
    None,

    /// <summary>
    /// BG/NBD or MBG/NBD with a, b → ∞ and a/(a+b) fixed: every customer has the same drop-out probability p after each
    /// purchase (no heterogeneity in drop-out).
    /// </summary>
    ConstantDropoutProbability,

    /// <summary>Pareto/NBD with s → 0: nobody drops out (the NBD model).</summary>
    NoDropout,

    /// <summary>Pareto/NBD with s, β → ∞ and s/β fixed: every customer drops out at the same rate μ (exponential lifetimes).</summary>
    ConstantDropoutRate,
}
