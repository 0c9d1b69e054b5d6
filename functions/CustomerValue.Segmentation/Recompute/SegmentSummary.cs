namespace CustomerValue.Segmentation.Recompute;

/// <summary>
/// The segment sizes after the latest recompute, stored as one document (<c>runs/segments</c>) so that
/// <c>GET api/segments</c> is a point read instead of a scan.
/// </summary>
public sealed record SegmentSummary
{
    /// <summary>The fixed document id.</summary>
    public const string DocumentId = "segments";

    /// <summary>Always <see cref="DocumentId"/>.</summary>
    public string Id { get; init; } = DocumentId;

    /// <summary>The run that produced the summary.</summary>
    public required string RunId { get; init; }

    /// <summary>When the run finished.</summary>
    public required DateTimeOffset ComputedAt { get; init; }

    /// <summary>One entry per segment, most valuable first.</summary>
    public required IReadOnlyList<SegmentSize> Segments { get; init; }
}

/// <summary>One segment's size and value.</summary>
/// <param name="Name">Segment name.</param>
/// <param name="Size">Customers in the segment.</param>
/// <param name="Description">What the segment means for marketing.</param>
/// <param name="NetRevenue">Net revenue to date of its customers.</param>
/// <param name="AverageValue">Mean ranking value of its customers.</param>
public sealed record SegmentSize(string Name, int Size, string Description, decimal NetRevenue, decimal AverageValue);
