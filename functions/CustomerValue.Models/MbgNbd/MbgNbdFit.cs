using CustomerValue.Models.Fitting;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Models.MbgNbd;

/// <summary>A fitted MBG/NBD model: estimates, standard errors, fit diagnostics and per-customer predictions.</summary>
public sealed class MbgNbdFit : ModelFit, IRepeatPurchaseModel
{
    internal MbgNbdFit(MaximumLikelihoodResult result, int observations, int uniqueRows, double penalizer)
        : base(result, ["r", "alpha", "a", "b"], observations, uniqueRows, penalizer)
    {
        var t = result.Theta;
        var e = result.StandardErrors;
        Parameters = new MbgNbdParameters(t[0], t[1], t[2], t[3]);
        StandardErrors = new MbgNbdParameters(e[0], e[1], e[2], e[3]);
    }

    /// <summary>Estimates r, α, a, b.</summary>
    public MbgNbdParameters Parameters { get; }

    /// <summary>Standard errors of r, α, a, b (NaN when unavailable).</summary>
    public MbgNbdParameters StandardErrors { get; }

    /// <inheritdoc cref="MbgNbdParameters.ExpectedPurchases(double, double, double, double)"/>
    public double ExpectedPurchases(double horizon, double x, double tx, double T) => Parameters.ExpectedPurchases(horizon, x, tx, T);

    /// <inheritdoc cref="MbgNbdParameters.ExpectedPurchases(double)"/>
    public double ExpectedPurchases(double horizon) => Parameters.ExpectedPurchases(horizon);

    /// <inheritdoc cref="MbgNbdParameters.ProbabilityAlive"/>
    public double ProbabilityAlive(double x, double tx, double T) => Parameters.ProbabilityAlive(x, tx, T);
}
