namespace CustomerValue.Domain.Segments;

/// <summary>Whether a customer entered or left a segment.</summary>
public enum SegmentChangeKind
{
    /// <summary>The customer entered the segment.</summary>
    Joined,

    /// <summary>The customer left the segment.</summary>
    Left,
}

/// <summary>
/// One membership change, as delivered to destinations. <see cref="EventId"/> is deterministic, so a batch
/// processed twice produces the same ids and destinations can drop repeats.
/// </summary>
public sealed record SegmentChange
{
    /// <summary>Deterministic id: profile, segment, kind and the run that decided it.</summary>
    public required string EventId { get; init; }

    /// <summary>Joined or left.</summary>
    public required SegmentChangeKind Kind { get; init; }

    /// <summary>The segment name.</summary>
    public required string Segment { get; init; }

    /// <summary>The profile whose membership changed.</summary>
    public required string ProfileId { get; init; }

    /// <summary>The recompute run that decided the change.</summary>
    public string? RunId { get; init; }

    /// <summary>When the change was published.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The customer's predicted value at the time, for value-based destinations.</summary>
    public decimal? PredictedClv { get; init; }

    /// <summary>Why the customer joined (the rule and the values that decided it, from the profile); null for a left event.</summary>
    public string? Reason { get; init; }
}
