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
}
