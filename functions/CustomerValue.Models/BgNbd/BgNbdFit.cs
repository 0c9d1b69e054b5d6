using CustomerValue.Models.Fitting;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Models.BgNbd;

/// <summary>A fitted BG/NBD model: estimates, standard errors, fit diagnostics and per-customer predictions.</summary>
public sealed class BgNbdFit : ModelFit, IRepeatPurchaseModel
{
    /// <summary>Scale a + b at which <see cref="Parameters"/> stands for the limit a, b → ∞ (the search bound).</summary>
    public const double LimitScale = 1e10;

    internal BgNbdFit(MaximumLikelihoodResult result, int observations, int uniqueRows, double penalizer, ConstantDropoutParameters? limit = null)
        : base(result, limit is null ? ["r", "alpha", "a", "b"] : ["r", "alpha", "p"], observations, uniqueRows, penalizer)
    {
        var t = result.Theta;
        var e = result.StandardErrors;
        if (limit is null)
        {
            Parameters = new BgNbdParameters(t[0], t[1], t[2], t[3]);
            StandardErrors = new BgNbdParameters(e[0], e[1], e[2], e[3]);
        }
        else
        {
            Parameters = new BgNbdParameters(limit.R, limit.Alpha, limit.P * LimitScale, (1 - limit.P) * LimitScale);
            StandardErrors = new BgNbdParameters(e[0], e[1], double.NaN, double.NaN);
            ConstantDropout = limit;
        }
    }

    /// <summary>
    /// Estimates r, α, a, b. When the fit is the limit a, b → ∞ (<see cref="ConstantDropout"/> set), a and b are
    /// p · <see cref="LimitScale"/> and (1 − p) · <see cref="LimitScale"/>, a finite BG/NBD point that approximates it.
    /// </summary>
    public BgNbdParameters Parameters { get; }

    /// <summary>Standard errors of r, α, a, b (NaN when unavailable, and for a, b of a limit fit).</summary>
    public BgNbdParameters StandardErrors { get; }

    /// <summary>
    /// The fitted limit model when the BG/NBD likelihood ran off to a, b → ∞ (<see cref="ModelFit.Limit"/> is
    /// <see cref="ModelLimit.ConstantDropoutProbability"/>); predictions then come from it. Null for an interior fit.
    /// </summary>
    public ConstantDropoutParameters? ConstantDropout { get; }

    private IRepeatPurchaseModel Model => ConstantDropout is { } limit ? limit : Parameters;

    /// <inheritdoc />
    public double R => Model.R;

    /// <inheritdoc />
    public double Alpha => Model.Alpha;

    /// <inheritdoc cref="BgNbdParameters.ExpectedPurchases(double, double, double, double)"/>
    public double ExpectedPurchases(double horizon, double x, double tx, double T) => Model.ExpectedPurchases(horizon, x, tx, T);

    /// <inheritdoc cref="BgNbdParameters.ExpectedPurchases(double)"/>
    public double ExpectedPurchases(double horizon) => Model.ExpectedPurchases(horizon);

    /// <inheritdoc cref="BgNbdParameters.ProbabilityAlive"/>
    public double ProbabilityAlive(double x, double tx, double T) => Model.ProbabilityAlive(x, tx, T);

    /// <inheritdoc cref="BgNbdParameters.ExpectedPurchasesIfAlive"/>
    public double ExpectedPurchasesIfAlive(double horizon, double x, double T) => Model.ExpectedPurchasesIfAlive(horizon, x, T);
}
