using CustomerValue.Domain.Segments;

namespace CustomerValue.Segmentation.Segments.Rules;

/// <summary>
/// <c>top-20</c>, <c>middle-60</c>, <c>bottom-20</c>: buyers ranked by predicted 12-month profit
/// (<see cref="PredictedProfit"/>), split 20 / 60 / 20 by the run's <see cref="TierThresholds"/>.
/// </summary>
public sealed class ValueTierRule : ISegmentRule
{
    private ValueTierRule(string name, string description, string definition)
    {
        Name = name;
        Description = description;
        Definition = definition;
    }

    /// <summary><c>top-20</c>.</summary>
    public static ValueTierRule Top20 { get; } = new(SegmentNames.Top20,
        "Top 20 % of buyers by predicted profit: protect and reward them.",
        "predicted 12-month profit ≥ the profit of the customer at the 20 % mark of the run's ranking");

    /// <summary><c>middle-60</c>.</summary>
    public static ValueTierRule Middle60 { get; } = new(SegmentNames.Middle60,
        "Middle 60 % by predicted profit: the customers to grow.",
        "buyers neither in top-20 nor in bottom-20");

    /// <summary><c>bottom-20</c>.</summary>
    public static ValueTierRule Bottom20 { get; } = new(SegmentNames.Bottom20,
        "Bottom 20 % by predicted profit: spend little to reach them.",
        "predicted 12-month profit ≤ the profit of the customer at the 80 % mark of the run's ranking");

    public string Name { get; }

    public string Description { get; }

    public string Definition { get; }

    public SegmentTiming Timing => SegmentTiming.RankBased;

    public bool RequiresPurchase => true;

    public SegmentMatch? Evaluate(SegmentInput input, SegmentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(context);
        var profit = context.ProfitOf(input);
        if (context.TierOf(input) != Name)
        {
            return null;
        }

        return context.UncertainTopReason(input) is { } uncertain
            ? new SegmentMatch(Name, $"predictedProfit {Reasons.Money(profit)} ≥ top-20 threshold {Reasons.Money(context.Thresholds.Top20!.Value)} but {uncertain}")
            : new SegmentMatch(Name, ReasonFor(profit, context.Thresholds));
    }

    /// <summary>Why a profit lands in its tier, e.g. <c>predictedProfit 412.10 ≥ top-20 threshold 180.00</c>.</summary>
    internal static string ReasonFor(decimal profit, TierThresholds thresholds) => thresholds.TierOf(profit) switch
    {
        SegmentNames.Top20 => $"predictedProfit {Reasons.Money(profit)} ≥ top-20 threshold {Reasons.Money(thresholds.Top20!.Value)}",
        SegmentNames.Bottom20 => $"predictedProfit {Reasons.Money(profit)} ≤ bottom-20 threshold {Reasons.Money(thresholds.Bottom20!.Value)}",
        _ => $"predictedProfit {Reasons.Money(profit)} < top-20 threshold {Reasons.Money(thresholds.Top20!.Value)}"
            + (thresholds.Bottom20 is { } bottom ? $" and > bottom-20 threshold {Reasons.Money(bottom)}" : ""),
    };
}
