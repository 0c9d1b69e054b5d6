using CustomerValue.Models.BgNbd;
using CustomerValue.Models.Fitting;
using CustomerValue.Models.Valuation;

namespace CustomerValue.Models.MbgNbd;

/// <summary>A fitted MBG/NBD model: estimates, standard errors, fit diagnostics and per-customer predictions.</summary>
public sealed class MbgNbdFit : ModelFit, IRepeatPurchaseModel
{
    internal MbgNbdFit(MaximumLikelihoodResult result, int observations, int uniqueRows, double penalizer, ConstantDropoutParameters? limit = null)
        : base(result, limit is null ? ["r", "alpha", "a", "b"] : ["r", "alpha", "p"], observations, uniqueRows, penalizer)
    {
        var t = result.Theta;
        var e = result.StandardErrors;
        if (limit is null)
        {
            Parameters = new MbgNbdParameters(t[0], t[1], t[2], t[3]);
            StandardErrors = new MbgNbdParameters(e[0], e[1], e[2], e[3]);
        }
        else
        {
            Parameters = new MbgNbdParameters(limit.R, limit.Alpha, limit.P * BgNbdFit.LimitScale, (1 - limit.P) * BgNbdFit.LimitScale);
            StandardErrors = new MbgNbdParameters(e[0], e[1], double.NaN, double.NaN);
            ConstantDropout = limit;
        }
    }

    /// <summary>
    /// Estimates r, α, a, b; for the limit a, b → ∞ (<see cref="ConstantDropout"/> set) a and b are p and 1 − p times
    /// <see cref="BgNbdFit.LimitScale"/>.
    /// </summary>
    public MbgNbdParameters Parameters { get; }

    /// <summary>
    /// The fitted limit (drop-out probability p after every purchase, including the first) when the MBG/NBD likelihood
    /// ran off to a, b → ∞; predictions then come from it. Null for an interior fit.
    /// </summary>
    public ConstantDropoutParameters? ConstantDropout { get; }

    private IRepeatPurchaseModel Model => ConstantDropout is { } limit ? limit : Parameters;

    /// <inheritdoc />
    public double R => Model.R;

    /// <inheritdoc />
    public double Alpha => Model.Alpha;

    /// <summary>Standard errors of r, α, a, b (NaN when unavailable).</summary>
    public MbgNbdParameters StandardErrors { get; }

    /// <inheritdoc cref="MbgNbdParameters.ExpectedPurchases(double, double, double, double)"/>
    public double ExpectedPurchases(double horizon, double x, double tx, double T) => Model.ExpectedPurchases(horizon, x, tx, T);

    /// <inheritdoc cref="MbgNbdParameters.ExpectedPurchases(double)"/>
    public double ExpectedPurchases(double horizon) => Model.ExpectedPurchases(horizon);

    /// <inheritdoc cref="MbgNbdParameters.ProbabilityAlive"/>
    public double ProbabilityAlive(double x, double tx, double T) => Model.ProbabilityAlive(x, tx, T);

    /// <inheritdoc cref="MbgNbdParameters.ExpectedPurchasesIfAlive"/>
    public double ExpectedPurchasesIfAlive(double horizon, double x, double T) => Model.ExpectedPurchasesIfAlive(horizon, x, T);
}
