namespace CustomerValue.Segmentation.Segments;

/// <summary>
/// What the segment rules know about one customer: the profile's facts, the value score of the current run and what
/// the previous run said. Amounts are in the shop currency. Built from a profile by
/// <see cref="SegmentInputs.FromProfile"/>; a plain record so rules can be tested without profiles.
/// </summary>
public sealed record SegmentInput
{
    /// <summary>The profile id.</summary>
    public required string ProfileId { get; init; }

    /// <summary>Purchases (cancelled orders and returns excluded).</summary>
    public int Orders { get; init; }

    /// <summary>First purchase.</summary>
    public DateTimeOffset? FirstOrderAt { get; init; }

    /// <summary>Latest purchase.</summary>
    public DateTimeOffset? LastOrderAt { get; init; }

    /// <summary>Channels with their latest purchase or touch, one entry per channel.</summary>
    public IReadOnlyList<ChannelActivity> Channels { get; init; } = [];

    /// <summary>First-touch acquisition channel (from the earliest purchase that names one).</summary>
    public string? AcquisitionChannel { get; init; }

    /// <summary>Paid over purchases that were not cancelled.</summary>
    public decimal GrossRevenue { get; init; }

    /// <summary>Refunds and returns.</summary>
    public decimal Refunds { get; init; }

    /// <summary>Gross − refunds, to date.</summary>
    public decimal NetRevenue { get; init; }

    /// <summary>Net revenue of orders placed in the 365 days before the run.</summary>
    public decimal NetRevenueLast12Months { get; init; }

    /// <summary>Share of gross revenue that came back as refunds or returns (0 with no revenue).</summary>
    public double ReturnRate { get; init; }

    /// <summary>Purchases with a refund plus standalone returns, at most <see cref="Orders"/>.</summary>
    public int ReturnedOrders { get; init; }

    /// <summary>The latest NPS answer (0–10), if any.</summary>
    public int? Nps { get; init; }

    /// <summary>True while the customer is an active member of a loyalty programme.</summary>
    public bool LoyaltyMember { get; init; }

    /// <summary>The loyalty programme and tier, e.g. <c>club/gold</c>, for the reason.</summary>
    public string? LoyaltyProgram { get; init; }

    /// <summary>Predicted 12-month CLV, net of returns; null when the models did not value the customer.</summary>
    public decimal? PredictedClv { get; init; }

    /// <summary>Probability the customer is still active; null without the models.</summary>
    public double? PAlive { get; init; }

    /// <summary>Probability of belonging to the top 20 % by CLV, from the run's parameter draws; null when not computed.</summary>
    public double? ProbabilityTop20 { get; init; }

    /// <summary>Expected purchases over the 12-month horizon; null without the models.</summary>
    public double? ExpectedPurchases { get; init; }

    /// <summary>Expected date of the next order (anchored at the last order).</summary>
    public DateTimeOffset? ExpectedNextOrderAt { get; init; }

    /// <summary>Mean days between distinct purchase days; null for one-time buyers.</summary>
    public double? AverageDaysBetweenOrders { get; init; }

    /// <summary>The value tier the previous run gave (<c>top-20</c>, <c>middle-60</c>, <c>bottom-20</c>), if any.</summary>
    public string? PreviousTier { get; init; }

    /// <summary>The percentile (0–100) of the previous run's ranking, if recorded.</summary>
    public double? PreviousPercentile { get; init; }

    /// <summary>The predicted CLV of the previous run, if any.</summary>
    public decimal? PreviousPredictedClv { get; init; }

    /// <summary>Every segment the previous run (or the real-time path since) put the customer in.</summary>
    public IReadOnlyList<string> PreviousSegments { get; init; } = [];

    /// <summary>True with at least one purchase.</summary>
    public bool HasPurchased => Orders > 0;
}
