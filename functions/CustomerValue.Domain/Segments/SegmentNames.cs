namespace CustomerValue.Domain.Segments;

/// <summary>The built-in segments. Names are stable: destinations and audiences are keyed by them.</summary>
public static class SegmentNames
{
    /// <summary>The top 20 % of customers by value: they carry the business.</summary>
    public const string Top20 = "top-20";

    /// <summary>The middle 60 %: the ones to grow.</summary>
    public const string Middle60 = "middle-60";

    /// <summary>The bottom 20 %.</summary>
    public const string Bottom20 = "bottom-20";

    /// <summary>The value tiers in order from most to least valuable.</summary>
    public static IReadOnlyList<string> ValueTiers { get; } = [Top20, Middle60, Bottom20];
}
