using CustomerValue.Models.Fitting;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Models.BgNbd;

/// <summary>A fitted BG/NBD model: estimates, standard errors, fit diagnostics and per-customer predictions.</summary>
public sealed class BgNbdFit : ModelFit, IRepeatPurchaseModel
{
    internal BgNbdFit(MaximumLikelihoodResult result, int observations, int uniqueRows, double penalizer)
        : base(result, ["r", "alpha", "a", "b"], observations, uniqueRows, penalizer)
    {
        var t = result.Theta;
        var e = result.StandardErrors;
        Parameters = new BgNbdParameters(t[0], t[1], t[2], t[3]);
        StandardErrors = new BgNbdParameters(e[0], e[1], e[2], e[3]);
    }

    /// <summary>Estimates r, α, a, b.</summary>
    public BgNbdParameters Parameters { get; }

    /// <summary>Standard errors of r, α, a, b (NaN when unavailable).</summary>
    public BgNbdParameters StandardErrors { get; }

    /// <inheritdoc cref="BgNbdParameters.ExpectedPurchases(double, double, double, double)"/>
    public double ExpectedPurchases(double horizon, double x, double tx, double T) => Parameters.ExpectedPurchases(horizon, x, tx, T);

    /// <inheritdoc cref="BgNbdParameters.ExpectedPurchases(double)"/>
    public double ExpectedPurchases(double horizon) => Parameters.ExpectedPurchases(horizon);

    /// <inheritdoc cref="BgNbdParameters.ProbabilityAlive"/>
    public double ProbabilityAlive(double x, double tx, double T) => Parameters.ProbabilityAlive(x, tx, T);
}
