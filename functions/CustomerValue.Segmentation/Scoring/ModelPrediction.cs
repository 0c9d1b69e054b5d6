using CustomerValue.Domain.Profiles;

namespace CustomerValue.Segmentation.Scoring;

/// <summary>
/// What the models add to a customer's net-spend score: a value type, so that a run keeps a million of them in one array
/// (about 130 bytes each) instead of a score object per customer, and builds each customer's full score only when it
/// decides that customer.
/// </summary>
/// <param name="Method">The method name recorded on the score (shared by every customer of a run).</param>
/// <param name="PredictedClv">Predicted 12-month CLV, rounded to cents.</param>
/// <param name="PredictedClvLow">Lower end of its 80 % interval, when the run drew parameters.</param>
/// <param name="PredictedClvHigh">Upper end of its 80 % interval.</param>
/// <param name="ProbabilityTop20">Probability of belonging to the top 20 %, when the run drew parameters.</param>
/// <param name="PAlive">P(alive), rounded to four places.</param>
/// <param name="ExpectedPurchases">Expected purchases over the horizon, rounded to four places.</param>
/// <param name="ExpectedNextOrderAt">When the next order is expected, if the model can say.</param>
/// <param name="InsufficientData">True when the run was below the cold-start minimums.</param>
public readonly record struct ModelPrediction(
    string Method, decimal PredictedClv, decimal? PredictedClvLow, decimal? PredictedClvHigh, double? ProbabilityTop20, double PAlive,
    double ExpectedPurchases, DateTimeOffset? ExpectedNextOrderAt, bool InsufficientData)
{
    /// <summary>The customer's score: <paramref name="baseline"/> (net spend) with the models' fields.</summary>
    public CustomerValueScore ApplyTo(CustomerValueScore baseline)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        return baseline with
        {
            Method = Method,
            PredictedClv = PredictedClv,
            PredictedClvLow = PredictedClvLow,
            PredictedClvHigh = PredictedClvHigh,
            ProbabilityTop20 = ProbabilityTop20,
            PAlive = PAlive,
            ExpectedPurchases = ExpectedPurchases,
            ExpectedNextOrderAt = ExpectedNextOrderAt,
            InsufficientData = InsufficientData,
            RankingValue = PredictedClv,
        };
    }
}
