using CustomerValue.Domain.Segments;

namespace CustomerValue.Segmentation.Segments.Rules;

/// <summary>
/// <c>promoters</c> (latest NPS 9–10), <c>passives</c> (7–8) and <c>detractors</c> (0–6): the standard Net Promoter
/// bands of the customer's latest answer. No purchase needed: an answer is enough.
/// </summary>
public sealed class NpsRule : ISegmentRule
{
    private readonly int _min;
    private readonly int _max;

    private NpsRule(string name, int min, int max, string description)
    {
        Name = name;
        _min = min;
        _max = max;
        Description = description;
    }

    /// <summary><c>promoters</c>.</summary>
    public static NpsRule Promoters { get; } = new(SegmentNames.Promoters, 9, 10, "Would recommend the shop: ask for reviews and referrals.");

    /// <summary><c>passives</c>.</summary>
    public static NpsRule Passives { get; } = new(SegmentNames.Passives, 7, 8, "Satisfied but not enthusiastic: easy to lose to a competitor.");

    /// <summary><c>detractors</c>.</summary>
    public static NpsRule Detractors { get; } = new(SegmentNames.Detractors, 0, 6, "Unhappy: recover the relationship before they leave or complain.");

    public string Name { get; }

    public string Description { get; }

    public string Definition => $"latest NPS answer {_min}–{_max}";

    public SegmentTiming Timing => SegmentTiming.RealTime;

    public bool RequiresPurchase => false;

    public SegmentMatch? Evaluate(SegmentInput input, SegmentRunContext context)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.Nps is { } score && score >= _min && score <= _max
            ? new SegmentMatch(Name, $"nps {score} in {_min}–{_max}")
            : null;
    }
}
