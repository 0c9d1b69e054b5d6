namespace CustomerValue.Publishing.Changes;

/// <summary>
/// The segment memberships of one profile that destinations have already been told about
/// (container <c>publications</c>, id = profile id). Comparing it with the profile's current segments yields
/// exactly the joined/left events still to publish, however often a change-feed batch is delivered.
/// </summary>
public sealed record PublishedMembership
{
    /// <summary>The profile id.</summary>
    public required string Id { get; init; }

    /// <summary>Segments published as joined and not since left, sorted.</summary>
    public required IReadOnlyList<string> Segments { get; init; }

    /// <summary>The recompute run whose decision was published last.</summary>
    public string? RunId { get; init; }

    /// <summary>True when the last published version was merged away or erased (it then left every segment).</summary>
    public bool Gone { get; init; }

    /// <summary>When destinations were last told.</summary>
    public required DateTimeOffset PublishedAt { get; init; }

    /// <summary>
    /// Per configured destination, the segments it was queued to hold the person in and the identifiers it was given
    /// (needed to remove the person after an erasure, when the profile no longer has them). A destination the person
    /// is in no audience of has no entry.
    /// </summary>
    public IReadOnlyDictionary<string, DestinationMembership>? Destinations { get; init; }
}

/// <summary>What one destination was told about one person.</summary>
/// <param name="Segments">Segments queued as joined and not since left, sorted.</param>
/// <param name="Recipient">The identifiers it was given (hashed for ad platforms).</param>
public sealed record DestinationMembership(IReadOnlyList<string> Segments, Delivery.Recipient Recipient);
