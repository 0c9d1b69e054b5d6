namespace CustomerValue.Domain.Profiles;

/// <summary>What the last recompute said a customer is worth. Amounts in the shop currency.</summary>
public sealed record CustomerValueScore
{
    /// <summary>Net revenue to date (paid − refunded).</summary>
    public decimal HistoricClv { get; init; }

    /// <summary>Predicted discounted value of the next 12 months, net of returns.</summary>
    public decimal PredictedClv { get; init; }

    /// <summary>Lower end of the 80 % interval of <see cref="PredictedClv"/> from parameter uncertainty.</summary>
    public decimal? PredictedClvLow { get; init; }

    /// <summary>Upper end of the 80 % interval of <see cref="PredictedClv"/> from parameter uncertainty.</summary>
    public decimal? PredictedClvHigh { get; init; }

    /// <summary>Probability that the customer belongs to the top 20 % by predicted CLV, given the parameter uncertainty.</summary>
    public double? ProbabilityTop20 { get; init; }

    /// <summary>True when the shop's data was below the models' minimums at this run: the value is a rough estimate.</summary>
    public bool InsufficientData { get; init; }

    /// <summary>Probability that the customer is still active (1 − churn probability).</summary>
    public double? PAlive { get; init; }

    /// <summary>Expected purchases over the model horizon.</summary>
    public double? ExpectedPurchases { get; init; }

    /// <summary>
    /// Expected date of the next order: the last order plus the customer's expected time between purchases (it may be in
    /// the past: overdue). Whether the customer is still active is <see cref="PAlive"/>'s business.
    /// </summary>
    public DateTimeOffset? ExpectedNextOrderAt { get; init; }

    /// <summary>Net revenue per purchase.</summary>
    public decimal AverageOrderValue { get; init; }

    /// <summary>Mean days between consecutive purchase days; null with fewer than two purchase days.</summary>
    public double? AverageDaysBetweenOrders { get; init; }

    /// <summary>Share of gross revenue that came back as refunds or returns.</summary>
    public double ReturnRate { get; init; }

    /// <summary>The quantity the value tiers rank by.</summary>
    public decimal RankingValue { get; init; }

    /// <summary>
    /// Where the last recompute ranked the customer among buyers by predicted profit, 0–100 (the share ranked below, ties
    /// counting half); null for non-buyers and before a run recorded it. The next run measures a rise in the ranking
    /// against it.
    /// </summary>
    public double? Percentile { get; init; }

    /// <summary>
    /// Set when an order, refund or event rescored the customer between recomputes with the last run's fitted parameters
    /// (no refit): when that happened.
    /// </summary>
    public DateTimeOffset? RescoredAt { get; init; }

    /// <summary>
    /// The predicted CLV the last recompute gave, kept while real-time rescores change <see cref="PredictedClv"/>, so the
    /// next run measures a fall in value against the run before it.
    /// </summary>
    public decimal? RunPredictedClv { get; init; }

    /// <summary>The recompute run that produced this score.</summary>
    public required string RunId { get; init; }

    /// <summary>How the value was estimated (e.g. <c>net-spend</c> until the CLV models are fitted).</summary>
    public required string Method { get; init; }
}
