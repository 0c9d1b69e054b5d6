namespace CustomerValue.Segmentation.Segments;

/// <summary>A customer's membership of one segment and why.</summary>
/// <param name="Segment">The segment name.</param>
/// <param name="Reason">
/// Short and machine-readable: the values and thresholds that decided it, <c>;</c>-separated, e.g.
/// <c>predictedProfit 412.10 ≥ top-20 threshold 180.00; channels web+store</c>.
/// </param>
public sealed record SegmentMatch(string Segment, string Reason)
{
    /// <summary>True when the customer is held out of a custom segment's destinations to measure its effect.</summary>
    public bool Holdout { get; init; }
}
