namespace CustomerValue.Segmentation.Segments;

/// <summary>One built-in segment: its name, what it is for, and the rule that decides membership.</summary>
public interface ISegmentRule
{
    /// <summary>The segment name (stable; destinations are keyed by it).</summary>
    string Name { get; }

    /// <summary>What the segment means and what to do with it, for <c>GET api/segments</c>.</summary>
    string Description { get; }

    /// <summary>The definition with its default thresholds, in words.</summary>
    string Definition { get; }

    /// <summary>Whether the real-time path may decide the segment or only a recompute.</summary>
    SegmentTiming Timing { get; }

    /// <summary>False when customers without a purchase can be members (NPS, loyalty).</summary>
    bool RequiresPurchase { get; }

    /// <summary>The membership with its reason, or null when the customer is not a member.</summary>
    SegmentMatch? Evaluate(SegmentInput input, SegmentRunContext context);
}
