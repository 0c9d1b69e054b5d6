namespace CustomerValue.Segmentation.Recompute;

/// <summary>The record of one recompute (container <c>runs</c>, id = run id).</summary>
public sealed record RecomputeRun
{
    /// <summary>Run id (<c>run-yyyyMMddTHHmmssZ</c> of the scheduled time).</summary>
    public required string Id { get; init; }

    /// <summary>When the run started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the run finished.</summary>
    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>How values were estimated.</summary>
    public required string Method { get; init; }

    /// <summary>The model fits behind the values (parameters, status, data size).</summary>
    public Scoring.ModelRunSummary? Model { get; init; }

    /// <summary>Live profiles scanned (redirects excluded).</summary>
    public required int Profiles { get; init; }

    /// <summary>Profiles with at least one purchase, which the tiers rank.</summary>
    public required int Ranked { get; init; }

    /// <summary>Profiles written back because their segments or value changed.</summary>
    public required int Written { get; init; }

    /// <summary>Profiles whose segment membership changed.</summary>
    public required int SegmentChanges { get; init; }

    /// <summary>Segment sizes after the run.</summary>
    public required IReadOnlyList<SegmentSize> Segments { get; init; }

    /// <summary>How many profiles named in <see cref="Skipped"/> are listed at most; the count is always complete.</summary>
    public const int MaxSkippedListed = 100;

    /// <summary>Live profiles the run could not value (see <see cref="ProfileReadiness"/>); they keep their previous values.</summary>
    public int SkippedProfiles { get; init; }

    /// <summary>The first <see cref="MaxSkippedListed"/> skipped profiles and why.</summary>
    public IReadOnlyList<SkippedProfile> Skipped { get; init; } = [];
}

/// <summary>A profile a recompute left out, and why.</summary>
/// <param name="ProfileId">The profile.</param>
/// <param name="Reason">What is wrong with its data (no personal data).</param>
public sealed record SkippedProfile(string ProfileId, string Reason);
