namespace CustomerValue.Segmentation.Segments;

/// <summary>When a segment's membership can change.</summary>
public enum SegmentTiming
{
    /// <summary>
    /// Depends only on the profile, its rescored value and the last run's thresholds: updated on the real-time path as
    /// soon as an order, refund or event changes the profile.
    /// </summary>
    RealTime,

    /// <summary>Depends on the ranking of all customers or on the previous run: changes only at a recompute.</summary>
    RankBased,
}
