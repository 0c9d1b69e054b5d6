using CustomerValue.Models.Fitting;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Models.ParetoNbd;

/// <summary>A fitted Pareto/NBD model: estimates, standard errors, fit diagnostics and per-customer predictions.</summary>
public sealed class ParetoNbdFit : ModelFit, IRepeatPurchaseModel
{
    internal ParetoNbdFit(MaximumLikelihoodResult result, int observations, int uniqueRows, double penalizer)
        : base(result, ["r", "alpha", "s", "beta"], observations, uniqueRows, penalizer)
    {
        var t = result.Theta;
        var e = result.StandardErrors;
        Parameters = new ParetoNbdParameters(t[0], t[1], t[2], t[3]);
        StandardErrors = new ParetoNbdParameters(e[0], e[1], e[2], e[3]);
    }

    /// <summary>Estimates r, α, s, β.</summary>
    public ParetoNbdParameters Parameters { get; }

    /// <summary>Standard errors of r, α, s, β (NaN when unavailable).</summary>
    public ParetoNbdParameters StandardErrors { get; }

    /// <inheritdoc cref="ParetoNbdParameters.ExpectedPurchases(double, double, double, double)"/>
    public double ExpectedPurchases(double horizon, double x, double tx, double T) => Parameters.ExpectedPurchases(horizon, x, tx, T);

    /// <inheritdoc cref="ParetoNbdParameters.ExpectedPurchases(double)"/>
    public double ExpectedPurchases(double horizon) => Parameters.ExpectedPurchases(horizon);

    /// <inheritdoc cref="ParetoNbdParameters.ProbabilityAlive"/>
    public double ProbabilityAlive(double x, double tx, double T) => Parameters.ProbabilityAlive(x, tx, T);
}
