using CustomerValue.Domain.Segments;

namespace CustomerValue.Segmentation.Recompute;

/// <summary>What each built-in segment means, shown by <c>GET api/segments</c>.</summary>
public static class SegmentDescriptions
{
    /// <summary>The description of a segment, or a generic one for user-defined segments.</summary>
    public static string Of(string segment) => segment switch
    {
        SegmentNames.Top20 => "Top 20 % of customers by value: protect and reward them.",
        SegmentNames.Middle60 => "Middle 60 % by value: the customers to grow.",
        SegmentNames.Bottom20 => "Bottom 20 % by value: spend little to reach them.",
        _ => "User-defined segment.",
    };
}
