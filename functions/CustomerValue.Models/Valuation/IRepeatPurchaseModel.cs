namespace CustomerValue.Models.Valuation;

/// <summary>A fitted repeat-purchase model (BG/NBD or Pareto/NBD): what the valuation needs from it.</summary>
public interface IRepeatPurchaseModel
{
    /// <summary>Expected repeat purchases in (T, T + horizon] given the history (x, t_x, T).</summary>
    double ExpectedPurchases(double horizon, double x, double tx, double T);

    /// <summary>Probability that a customer with history (x, t_x, T) is still active at T.</summary>
    double ProbabilityAlive(double x, double tx, double T);

    /// <summary>Expected repeat purchases in (0, horizon] of a newly acquired customer.</summary>
    double ExpectedPurchases(double horizon);
}
