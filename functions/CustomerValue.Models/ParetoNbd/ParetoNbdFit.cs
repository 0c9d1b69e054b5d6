using CustomerValue.Models.Fitting;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Models.ParetoNbd;

/// <summary>A fitted Pareto/NBD model: estimates, standard errors, fit diagnostics and per-customer predictions.</summary>
public sealed class ParetoNbdFit : ModelFit, IRepeatPurchaseModel
{
    /// <summary>Scale β at which <see cref="Parameters"/> stands for the limit s, β → ∞ (s = μ β; the search bound).</summary>
    public const double LimitScale = 1e10;

    internal ParetoNbdFit(MaximumLikelihoodResult result, int observations, int uniqueRows, double penalizer, ConstantRateParameters? limit = null)
        : base(result, limit is null ? ["r", "alpha", "s", "beta"] : ["r", "alpha", "mu"], observations, uniqueRows, penalizer)
    {
        var t = result.Theta;
        var e = result.StandardErrors;
        if (limit is null)
        {
            Parameters = new ParetoNbdParameters(t[0], t[1], t[2], t[3]);
            StandardErrors = new ParetoNbdParameters(e[0], e[1], e[2], e[3]);
        }
        else
        {
            Parameters = new ParetoNbdParameters(limit.R, limit.Alpha, limit.Mu * LimitScale, LimitScale);
            StandardErrors = new ParetoNbdParameters(e[0], e[1], double.NaN, double.NaN);
            ConstantRate = limit;
        }
    }

    /// <summary>
    /// Estimates r, α, s, β. For the no-drop-out limit s = 0 (β then plays no role); for the common-rate limit
    /// (<see cref="ConstantRate"/> set) s = μ · <see cref="LimitScale"/> and β = <see cref="LimitScale"/>, a finite
    /// Pareto/NBD point that approximates it.
    /// </summary>
    public ParetoNbdParameters Parameters { get; }

    /// <summary>
    /// The fitted limit when the likelihood ran off to s, β → ∞ (<see cref="ModelFit.Limit"/> is
    /// <see cref="ModelLimit.ConstantDropoutRate"/>); predictions then come from it. Null otherwise.
    /// </summary>
    public ConstantRateParameters? ConstantRate { get; }

    private IRepeatPurchaseModel Model => ConstantRate is { } limit ? limit : Parameters;

    /// <inheritdoc />
    public double R => Model.R;

    /// <inheritdoc />
    public double Alpha => Model.Alpha;

    /// <summary>Standard errors of r, α, s, β (NaN when unavailable).</summary>
    public ParetoNbdParameters StandardErrors { get; }

    /// <inheritdoc cref="ParetoNbdParameters.ExpectedPurchases(double, double, double, double)"/>
    public double ExpectedPurchases(double horizon, double x, double tx, double T) => Model.ExpectedPurchases(horizon, x, tx, T);

    /// <inheritdoc cref="ParetoNbdParameters.ExpectedPurchases(double)"/>
    public double ExpectedPurchases(double horizon) => Model.ExpectedPurchases(horizon);

    /// <inheritdoc cref="ParetoNbdParameters.ProbabilityAlive"/>
    public double ProbabilityAlive(double x, double tx, double T) => Model.ProbabilityAlive(x, tx, T);

    /// <inheritdoc cref="ParetoNbdParameters.ExpectedPurchasesIfAlive"/>
    public double ExpectedPurchasesIfAlive(double horizon, double x, double T) => Model.ExpectedPurchasesIfAlive(horizon, x, T);
}
