namespace CustomerValue.Models.Valuation;

/// <summary>A fitted repeat-purchase model (BG/NBD or Pareto/NBD): what the valuation needs from it.</summary>
public interface IRepeatPurchaseModel
{
    /// <summary>
    /// Shape r of the Gamma(r, α) prior on the purchase rate λ while alive, which every model here shares (BG/NBD,
    /// MBG/NBD, Pareto/NBD and their boundary limits): the purchase timing reads the posterior of λ from it.
    /// </summary>
    double R { get; }

    /// <summary>Scale α of the Gamma(r, α) prior on the purchase rate (see <see cref="R"/>).</summary>
    double Alpha { get; }

    /// <summary>
    /// Expected repeat purchases in (T, T + horizon] given the history (x, t_x, T). In every model here it factors as
    /// <see cref="ExpectedPurchasesIfAlive"/>(horizon, x, T) × <see cref="ProbabilityAlive"/>(x, t_x, T).
    /// </summary>
    double ExpectedPurchases(double horizon, double x, double tx, double T);

    /// <summary>
    /// Expected repeat purchases in (T, T + horizon] of a customer known to be alive at T with x repeat purchases:
    /// the factor of <see cref="ExpectedPurchases(double, double, double, double)"/> that depends on the horizon. It does
    /// not depend on t_x, so a scorer evaluates it once per (x, T) rather than once per (x, t_x, T) — the costly
    /// hypergeometric term of the BG/NBD family lives here.
    /// </summary>
    double ExpectedPurchasesIfAlive(double horizon, double x, double T);

    /// <summary>Probability that a customer with history (x, t_x, T) is still active at T.</summary>
    double ProbabilityAlive(double x, double tx, double T);

    /// <summary>Expected repeat purchases in (0, horizon] of a newly acquired customer.</summary>
    double ExpectedPurchases(double horizon);
}
