namespace CustomerValue.Models.Valuation;

/// <summary>
/// Scores per distinct purchase history (x, t_x, T): every prediction of <see cref="CustomerScore"/> except the spend
/// depends on the history alone, and a million customers have about a sixth as many histories, so a caller that
/// formats or aggregates predictions can do it once per history (see <see cref="CustomerValuation.ScoreHistories"/>).
/// </summary>
/// <param name="HistoryOf">Each customer's index into <paramref name="Histories"/>, in input order.</param>
/// <param name="Histories">The distinct histories, in order of first appearance.</param>
public sealed record HistoryScores(int[] HistoryOf, HistoryScore[] Histories);

/// <summary>The predictions shared by every customer with one purchase history.</summary>
/// <param name="Frequency">x.</param>
/// <param name="Recency">t_x.</param>
/// <param name="T">T.</param>
/// <param name="ExpectedPurchases">E[Y(t) | x, t_x, T] at <see cref="ValuationOptions.PurchaseHorizon"/> (default: the CLV horizon).</param>
/// <param name="ProbabilityAlive">P(alive | x, t_x, T).</param>
/// <param name="DiscountedPurchases">
/// Discounted expected purchases over the CLV horizon (<see cref="CustomerValuation.DiscountedExpectedPurchases"/>): the
/// customer's CLV is margin × spend per purchase × this.
/// </param>
/// <param name="TimeToNextPurchase">Time units until the expected purchases reach one; NaN if not within the cap or not asked for.</param>
public readonly record struct HistoryScore(
    double Frequency, double Recency, double T, double ExpectedPurchases, double ProbabilityAlive, double DiscountedPurchases, double TimeToNextPurchase);
