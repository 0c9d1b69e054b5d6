namespace CustomerValue.Models.Valuation;

/// <summary>Model predictions for one customer.</summary>
/// <param name="ExpectedPurchases">Expected repeat purchases over the valuation horizon, E[Y(t) | x, t_x, T].</param>
/// <param name="ProbabilityAlive">Probability the customer is still active at the calibration end.</param>
/// <param name="ExpectedAverageSpend">Expected spend per future purchase (Gamma-Gamma conditional expectation).</param>
/// <param name="PredictedClv">Discounted expected margin over the horizon (see <see cref="CustomerValuation.PredictedClv"/>).</param>
/// <param name="TimeToNextPurchase">Time units until the expected number of purchases reaches one; NaN if not within the cap or not computed.</param>
public readonly record struct CustomerScore(
    double ExpectedPurchases, double ProbabilityAlive, double ExpectedAverageSpend, double PredictedClv, double TimeToNextPurchase)
{
    /// <summary>Churn probability, 1 − P(alive).</summary>
    public double ChurnProbability => 1 - ProbabilityAlive;
}
